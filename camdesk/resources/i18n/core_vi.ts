<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>App</name>
    <message>
        <source>Demo cameras started; adding them…</source>
        <translation>Camera mô phỏng đã chạy, đang thêm vào danh sách…</translation>
    </message>
    <message>
        <source>The demo needs the database, which could not be opened.</source>
        <translation>Chế độ demo cần cơ sở dữ liệu, nhưng không mở được cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>Demo: {n} virtual cameras</source>
        <translation>Demo: {n} camera mô phỏng</translation>
    </message>
    <message>
        <source>The demo cameras could not be started: {reason}</source>
        <translation>Không khởi động được camera mô phỏng: {reason}</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <source>{file}: the settings must be a JSON object; using defaults.</source>
        <translation>{file}: tệp cài đặt phải là một đối tượng JSON; đang dùng cài đặt mặc định.</translation>
    </message>
    <message>
        <source>{file}: unknown setting &quot;{key}&quot; was ignored.</source>
        <translation>{file}: đã bỏ qua mục cài đặt không xác định &quot;{key}&quot;.</translation>
    </message>
    <message>
        <source>{file}: setting &quot;{key}&quot; has the invalid value {value}; it must be {rule}. Using the default {default}.</source>
        <translation>{file}: mục cài đặt &quot;{key}&quot; có giá trị không hợp lệ {value}; giá trị phải là {rule}. Đang dùng giá trị mặc định {default}.</translation>
    </message>
    <message>
        <source>{file} could not be read ({error}); using defaults.</source>
        <translation>Không đọc được {file} ({error}); đang dùng cài đặt mặc định.</translation>
    </message>
    <message>
        <source>{file} is not valid JSON (line {line}); using the default settings.</source>
        <translation>{file} không phải JSON hợp lệ (dòng {line}); đang dùng cài đặt mặc định.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong: {detail}</source>
        <translation>Đã xảy ra lỗi: {detail}</translation>
    </message>
    <message>
        <source>The camera reported a problem: {detail}</source>
        <translation>Camera báo lỗi: {detail}</translation>
    </message>
    <message>
        <source>The camera cannot be reached. Check that it is powered on and connected to the network.</source>
        <translation>Không kết nối được tới camera. Hãy kiểm tra camera đã bật nguồn và đã nối mạng chưa.</translation>
    </message>
    <message>
        <source>The camera refused the connection. It may be restarting or busy.</source>
        <translation>Camera từ chối kết nối. Có thể camera đang khởi động lại hoặc đang bận.</translation>
    </message>
    <message>
        <source>The camera did not answer in time. It may be overloaded or hung.</source>
        <translation>Camera không phản hồi kịp thời. Có thể camera đang quá tải hoặc bị treo.</translation>
    </message>
    <message>
        <source>The video stopped arriving from the camera.</source>
        <translation>Hình ảnh từ camera đã ngừng truyền về.</translation>
    </message>
    <message>
        <source>Wrong user name or password for this camera.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu của camera này.</translation>
    </message>
    <message>
        <source>This address does not answer like an ONVIF camera. Check the address and port.</source>
        <translation>Địa chỉ này không phản hồi như một camera ONVIF. Hãy kiểm tra lại địa chỉ và cổng.</translation>
    </message>
    <message>
        <source>The camera sent a reply that could not be understood.</source>
        <translation>Camera gửi về dữ liệu không đọc được.</translation>
    </message>
    <message>
        <source>The camera sent an unsafe reply, which was refused. The device may be faulty or tampered with.</source>
        <translation>Camera gửi về dữ liệu không an toàn nên đã bị từ chối. Thiết bị có thể bị lỗi hoặc đã bị can thiệp.</translation>
    </message>
    <message>
        <source>This camera or stream is not supported: {detail}</source>
        <translation>Camera hoặc luồng video này chưa được hỗ trợ: {detail}</translation>
    </message>
    <message>
        <source>The camera address is not valid: {detail}</source>
        <translation>Địa chỉ camera không hợp lệ: {detail}</translation>
    </message>
    <message>
        <source>The data could not be saved or read: {detail}</source>
        <translation>Không lưu hoặc đọc được dữ liệu: {detail}</translation>
    </message>
    <message>
        <source>The disk is full. Nothing was lost, but new data cannot be saved until space is freed.</source>
        <translation>Ổ đĩa đã đầy. Dữ liệu cũ không bị mất, nhưng không thể lưu dữ liệu mới cho đến khi giải phóng dung lượng.</translation>
    </message>
    <message>
        <source>The database is in use by another camdesk window or program. Close it and try again.</source>
        <translation>Cơ sở dữ liệu đang được một cửa sổ camdesk hoặc chương trình khác sử dụng. Hãy đóng chương trình đó rồi thử lại.</translation>
    </message>
    <message>
        <source>The database file is damaged. You can restore the latest backup or open it read-only.</source>
        <translation>Tệp cơ sở dữ liệu bị hỏng. Có thể khôi phục bản sao lưu gần nhất hoặc mở ở chế độ chỉ đọc.</translation>
    </message>
    <message>
        <source>The database was created by a newer version of camdesk ({detail}). Update camdesk, or open it read-only.</source>
        <translation>Cơ sở dữ liệu được tạo bởi phiên bản camdesk mới hơn ({detail}). Hãy cập nhật camdesk hoặc mở ở chế độ chỉ đọc.</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>A setting is not valid: {detail}</source>
        <translation>Mục cài đặt không hợp lệ: {detail}</translation>
    </message>
</context>
</TS>
