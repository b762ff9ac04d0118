<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Errors</name>
    <message>
        <source>The database is open read-only, so nothing can be changed. Restart camdesk to edit.</source>
        <translation>Cơ sở dữ liệu đang mở ở chế độ chỉ đọc nên không thể thay đổi. Hãy khởi động lại camdesk để chỉnh sửa.</translation>
    </message>
    <message>
        <source>The record was not found; it may have been deleted: {detail}</source>
        <translation>Không tìm thấy bản ghi, có thể đã bị xóa: {detail}</translation>
    </message>
    <message>
        <source>No usable backup was found: {detail}</source>
        <translation>Không tìm thấy bản sao lưu dùng được: {detail}</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>The residential group needs a name.</source>
        <translation>Tổ dân phố cần có tên.</translation>
    </message>
    <message>
        <source>A residential group named {name} already exists.</source>
        <translation>Đã có tổ dân phố tên {name}.</translation>
    </message>
    <message>
        <source>The camera no longer exists.</source>
        <translation>Camera này không còn tồn tại.</translation>
    </message>
    <message>
        <source>The duration cannot be negative.</source>
        <translation>Thời lượng không được âm.</translation>
    </message>
    <message>
        <source>The snapshot is too large.</source>
        <translation>Ảnh chụp quá lớn.</translation>
    </message>
    <message>
        <source>The residential group no longer exists.</source>
        <translation>Tổ dân phố này không còn tồn tại.</translation>
    </message>
    <message>
        <source>Camera {name} has bookmarks, which are kept as evidence. Disable the camera instead.</source>
        <translation>Camera {name} có các đánh dấu được lưu làm chứng cứ nên không thể xóa. Hãy tắt camera thay vì xóa.</translation>
    </message>
    <message>
        <source>The category needs a name.</source>
        <translation>Loại vụ việc cần có tên.</translation>
    </message>
    <message>
        <source>The incident needs a title.</source>
        <translation>Vụ việc cần có tiêu đề.</translation>
    </message>
    <message>
        <source>Choose a category.</source>
        <translation>Hãy chọn loại vụ việc.</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>Ghi chú đang để trống.</translation>
    </message>
    <message>
        <source>The layout needs a name.</source>
        <translation>Bố cục cần có tên.</translation>
    </message>
    <message>
        <source>A layout has 1 to 16 rows and columns.</source>
        <translation>Bố cục có từ 1 đến 16 hàng và cột.</translation>
    </message>
    <message>
        <source>A tile lies outside the layout&apos;s grid.</source>
        <translation>Có ô hình nằm ngoài lưới của bố cục.</translation>
    </message>
    <message>
        <source>A layout named {name} already exists.</source>
        <translation>Đã có bố cục tên {name}.</translation>
    </message>
    <message>
        <source>The file cannot be read: {detail}</source>
        <translation>Không đọc được tệp: {detail}</translation>
    </message>
    <message>
        <source>The file is too large for a camera list.</source>
        <translation>Tệp quá lớn đối với một danh sách camera.</translation>
    </message>
    <message>
        <source>The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.</source>
        <translation>Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng “CSV UTF-8” rồi thử lại.</translation>
    </message>
    <message>
        <source>The first line must name the columns, including “name”.</source>
        <translation>Dòng đầu tiên phải ghi tên các cột, trong đó có cột “name”.</translation>
    </message>
    <message>
        <source>Id {value} is not a number; leave it empty to add a new camera.</source>
        <translation>Mã {value} không phải là số; để trống nếu muốn thêm camera mới.</translation>
    </message>
    <message>
        <source>{value} is not a number.</source>
        <translation>{value} không phải là số.</translation>
    </message>
    <message>
        <source>Owner type {value} is unknown: use household, business or ward.</source>
        <translation>Loại chủ sở hữu {value} không hợp lệ: dùng household (hộ gia đình), business (doanh nghiệp) hoặc ward (phường).</translation>
    </message>
    <message>
        <source>{value} is not yes or no (1 or 0).</source>
        <translation>{value} không phải là có hoặc không (1 hoặc 0).</translation>
    </message>
    <message>
        <source>The camera needs a name.</source>
        <translation>Camera cần có tên.</translation>
    </message>
    <message>
        <source>The name is too long (at most 200 characters).</source>
        <translation>Tên quá dài (tối đa 200 ký tự).</translation>
    </message>
    <message>
        <source>Latitude {value} is outside -90 to 90 degrees.</source>
        <translation>Vĩ độ {value} nằm ngoài khoảng -90 đến 90 độ.</translation>
    </message>
    <message>
        <source>Longitude {value} is outside -180 to 180 degrees.</source>
        <translation>Kinh độ {value} nằm ngoài khoảng -180 đến 180 độ.</translation>
    </message>
    <message>
        <source>Give both latitude and longitude, or neither.</source>
        <translation>Hãy nhập cả vĩ độ và kinh độ, hoặc bỏ trống cả hai.</translation>
    </message>
    <message>
        <source>Phone number {value} is not valid: use a mobile number (10 digits starting with 0), a landline (11 digits starting with 02), or +84 instead of the first 0.</source>
        <translation>Số điện thoại {value} không hợp lệ: dùng số di động (10 chữ số, bắt đầu bằng 0), số cố định (11 chữ số, bắt đầu bằng 02), hoặc thay số 0 đầu bằng +84.</translation>
    </message>
    <message>
        <source>Date {value} is not valid: use YYYY-MM-DD.</source>
        <translation>Ngày {value} không hợp lệ: dùng định dạng NNNN-TT-NN (năm-tháng-ngày).</translation>
    </message>
    <message>
        <source>The consent must expire after the day it was given ({given}).</source>
        <translation>Ngày hết hạn đồng ý phải sau ngày đồng ý ({given}).</translation>
    </message>
    <message>
        <source>Give the day the owner agreed before an expiry date.</source>
        <translation>Hãy nhập ngày chủ camera đồng ý trước khi nhập ngày hết hạn.</translation>
    </message>
    <message>
        <source>Remove the user name and password from the address; enter them in the login fields.</source>
        <translation>Hãy bỏ tên đăng nhập và mật khẩu khỏi địa chỉ; nhập chúng vào các ô đăng nhập.</translation>
    </message>
</context>
</TS>
