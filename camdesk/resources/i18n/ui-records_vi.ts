<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>BookmarkAction</name>
    <message>
        <source>There is no picture on this tile yet, so nothing was bookmarked.</source>
        <translation>Ô này chưa có hình nên chưa đánh dấu được.</translation>
    </message>
    <message>
        <source>The bookmark was not saved. {reason}</source>
        <translation>Chưa lưu được đánh dấu. {reason}</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>Đánh dấu</translation>
    </message>
</context>
<context>
    <name>BookmarkPopup</name>
    <message>
        <source>Bookmark saved</source>
        <translation>Đã lưu đánh dấu</translation>
    </message>
    <message>
        <source>Saved: {camera}, {time}</source>
        <translation>Đã lưu: {camera}, {time}</translation>
    </message>
    <message>
        <source>What happened?</source>
        <translation>Chuyện gì xảy ra?</translation>
    </message>
    <message>
        <source>tags, separated by commas</source>
        <translation>nhãn, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
</context>
<context>
    <name>BookmarksDock</name>
    <message>
        <source>Bookmarks and incidents</source>
        <translation>Đánh dấu và vụ việc</translation>
    </message>
    <message>
        <source>Read-only: you can search and look, but not change anything.</source>
        <translation>Chế độ chỉ xem: có thể tìm kiếm và xem, nhưng không thay đổi được gì.</translation>
    </message>
    <message>
        <source>Search: words, with or without accents</source>
        <translation>Tìm: gõ từ khóa, có dấu hay không dấu đều được</translation>
    </message>
    <message>
        <source>Bookmarks only</source>
        <translation>Chỉ đánh dấu</translation>
    </message>
    <message>
        <source>Incidents only</source>
        <translation>Chỉ vụ việc</translation>
    </message>
    <message>
        <source>Any severity</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>Between</source>
        <translation>Trong khoảng</translation>
    </message>
    <message>
        <source>Open / edit</source>
        <translation>Mở / sửa</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Create incident</source>
        <translation>Tạo vụ việc</translation>
    </message>
    <message>
        <source>Make an incident (vụ việc) from the selected bookmarks</source>
        <translation>Tạo vụ việc từ các đánh dấu đã chọn</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <source>All residential groups</source>
        <translation>Tất cả tổ dân phố</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>{count} found</source>
        <translation>Tìm thấy {count} kết quả</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Không tìm thấy kết quả nào</translation>
    </message>
    <message>
        <source>Edit bookmark</source>
        <translation>Sửa đánh dấu</translation>
    </message>
    <message>
        <source>Delete {count} bookmark(s)? This is recorded in the audit log.</source>
        <translation>Xóa {count} đánh dấu? Việc xóa sẽ được ghi vào nhật ký thao tác.</translation>
    </message>
    <message>
        <source>Delete bookmarks</source>
        <translation>Xóa đánh dấu</translation>
    </message>
</context>
<context>
    <name>CsvImportDialog</name>
    <message>
        <source>Import camera registry: {file}</source>
        <translation>Nhập danh sách camera: {file}</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>Đang đọc {file}…</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>This file cannot be imported: {reason}</source>
        <translation>Không nhập được tệp này: {reason}</translation>
    </message>
    <message>
        <source>{adds} camera(s) will be added and {updates} updated.</source>
        <translation>Sẽ thêm {adds} camera và cập nhật {updates} camera.</translation>
    </message>
    <message>
        <source>{bad} line(s) have problems and will be skipped; fix them in the file and import again.</source>
        <translation>{bad} dòng có lỗi sẽ bị bỏ qua; hãy sửa trong tệp rồi nhập lại.</translation>
    </message>
    <message>
        <source>Nothing is imported until you press Import.</source>
        <translation>Chưa có gì được nhập cho đến khi bấm Nhập.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <source>Imported: {added} added, {updated} updated.</source>
        <translation>Đã nhập: thêm {added}, cập nhật {updated}.</translation>
    </message>
</context>
<context>
    <name>DbProblemDialog</name>
    <message>
        <source>camdesk: problem with the database</source>
        <translation>camdesk: cơ sở dữ liệu gặp sự cố</translation>
    </message>
    <message>
        <source>Details for the technician: {detail}</source>
        <translation>Thông tin cho kỹ thuật viên: {detail}</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Restore latest backup</source>
        <translation>Khôi phục bản sao lưu gần nhất</translation>
    </message>
    <message>
        <source>Open read-only</source>
        <translation>Mở chỉ để xem</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Replace the database with the backup of {time}. The current file is kept beside it.</source>
        <translation>Thay cơ sở dữ liệu bằng bản sao lưu lúc {time}. Tệp hiện tại vẫn được giữ lại bên cạnh.</translation>
    </message>
    <message>
        <source>No backup was found.</source>
        <translation>Không tìm thấy bản sao lưu nào.</translation>
    </message>
    <message>
        <source>The database is busy</source>
        <translation>Cơ sở dữ liệu đang bận</translation>
    </message>
    <message>
        <source>Another camdesk window or program is using it. Close it, then press Retry. Or open the data read-only to look things up without changing anything.</source>
        <translation>Một cửa sổ camdesk hoặc chương trình khác đang dùng nó. Hãy đóng chương trình đó rồi bấm Thử lại. Hoặc mở chỉ để xem để tra cứu mà không thay đổi gì.</translation>
    </message>
    <message>
        <source>The database file is damaged</source>
        <translation>Tệp cơ sở dữ liệu bị hỏng</translation>
    </message>
    <message>
        <source>Restoring the latest backup brings back everything saved up to that backup; the damaged file is kept for the technician. Opening read-only may show part of the data.</source>
        <translation>Khôi phục bản sao lưu gần nhất sẽ lấy lại mọi dữ liệu đã lưu đến thời điểm sao lưu; tệp bị hỏng được giữ lại cho kỹ thuật viên. Mở chỉ để xem có thể chỉ thấy được một phần dữ liệu.</translation>
    </message>
    <message>
        <source>The database is from a newer camdesk</source>
        <translation>Cơ sở dữ liệu thuộc phiên bản camdesk mới hơn</translation>
    </message>
    <message>
        <source>Update camdesk on this computer. Until then you can open the data read-only.</source>
        <translation>Hãy cập nhật camdesk trên máy này. Trong lúc chờ, có thể mở dữ liệu chỉ để xem.</translation>
    </message>
    <message>
        <source>The database could not be opened</source>
        <translation>Không mở được cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Check that the disk is connected and not full, then press Retry.</source>
        <translation>Kiểm tra ổ đĩa đã được kết nối và chưa đầy, rồi bấm Thử lại.</translation>
    </message>
</context>
<context>
    <name>IncidentWindow</name>
    <message>
        <source>Create incident</source>
        <translation>Tạo vụ việc</translation>
    </message>
    <message>
        <source>Save details</source>
        <translation>Lưu thông tin</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Loại vụ việc</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Occurred at</source>
        <translation>Thời điểm xảy ra</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Mô tả</translation>
    </message>
    <message>
        <source>Notes (a correction is a new note; notes are never changed)</source>
        <translation>Ghi chú (muốn đính chính thì thêm ghi chú mới; ghi chú cũ không bao giờ bị sửa)</translation>
    </message>
    <message>
        <source>Write a note…</source>
        <translation>Viết ghi chú…</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>Linked bookmarks</source>
        <translation>Các đánh dấu liên quan</translation>
    </message>
    <message>
        <source>Link bookmarks selected in the list</source>
        <translation>Gắn các đánh dấu đang chọn trong danh sách</translation>
    </message>
    <message>
        <source>Unlink</source>
        <translation>Gỡ liên kết</translation>
    </message>
    <message>
        <source>New incident</source>
        <translation>Vụ việc mới</translation>
    </message>
    <message>
        <source>New incident (the case number is given when it is created)</source>
        <translation>Vụ việc mới (số vụ việc được cấp khi tạo)</translation>
    </message>
    <message>
        <source>Incident {case}</source>
        <translation>Vụ việc {case}</translation>
    </message>
    <message>
        <source>Opened {time} by {author}</source>
        <translation>Mở lúc {time}, người mở: {author}</translation>
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
        <translation>Ghi chú đang trống.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Export camera registry</source>
        <translation>Xuất danh sách camera</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Tệp CSV (*.csv);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>{count} camera(s) exported to {path}</source>
        <translation>Đã xuất {count} camera ra {path}</translation>
    </message>
    <message>
        <source>The registry was not exported. {reason}</source>
        <translation>Chưa xuất được danh sách camera. {reason}</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Thấp</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Cao</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Đang mở</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>Đang xác minh</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>Business</source>
        <translation>Cơ sở kinh doanh</translation>
    </message>
    <message>
        <source>Ward</source>
        <translation>UBND phường</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>(chưa có tiêu đề)</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Residential group</source>
        <translation>Tổ dân phố</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Chủ camera</translation>
    </message>
    <message>
        <source>Owner type</source>
        <translation>Loại chủ sở hữu</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Đồng ý của chủ camera</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>No consent recorded</source>
        <translation>Chưa ghi nhận đồng ý</translation>
    </message>
    <message>
        <source>EXPIRED on {expires} (given {given})</source>
        <translation>ĐÃ HẾT HẠN ngày {expires} (đồng ý ngày {given})</translation>
    </message>
    <message>
        <source>Given {given}, until {expires}</source>
        <translation>Đồng ý ngày {given}, hiệu lực đến {expires}</translation>
    </message>
    <message>
        <source>Given {given}, no expiry</source>
        <translation>Đồng ý ngày {given}, không thời hạn</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>file</source>
        <translation>cả tệp</translation>
    </message>
    <message>
        <source>Latitude must be a number, for example 21.0285.</source>
        <translation>Vĩ độ phải là một số, ví dụ 21.0285.</translation>
    </message>
    <message>
        <source>Longitude must be a number, for example 105.8542.</source>
        <translation>Kinh độ phải là một số, ví dụ 105.8542.</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>&amp;Hồ sơ</translation>
    </message>
    <message>
        <source>Camera &amp;registry…</source>
        <translation>&amp;Danh sách camera…</translation>
    </message>
    <message>
        <source>&amp;Import registry from CSV…</source>
        <translation>&amp;Nhập danh sách camera từ CSV…</translation>
    </message>
    <message>
        <source>&amp;Export registry to CSV…</source>
        <translation>&amp;Xuất danh sách camera ra CSV…</translation>
    </message>
</context>
<context>
    <name>RegistryEditor</name>
    <message>
        <source>Camera registry</source>
        <translation>Danh sách camera</translation>
    </message>
    <message>
        <source>Read-only: you can look up cameras, but not change or export the list.</source>
        <translation>Chế độ chỉ xem: có thể tra cứu camera, nhưng không sửa hay xuất danh sách được.</translation>
    </message>
    <message>
        <source>e.g. live view and recording for the ward police</source>
        <translation>ví dụ: xem trực tiếp và ghi hình phục vụ công an phường</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>năm-tháng-ngày, ví dụ 2026-01-31</translation>
    </message>
    <message>
        <source>Show on the wall</source>
        <translation>Hiện trên màn hình giám sát</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Tên *</translation>
    </message>
    <message>
        <source>Residential group</source>
        <translation>Tổ dân phố</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Vĩ độ</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Kinh độ</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Chủ camera</translation>
    </message>
    <message>
        <source>Owner type</source>
        <translation>Loại chủ sở hữu</translation>
    </message>
    <message>
        <source>Owner&apos;s phone</source>
        <translation>Điện thoại chủ camera</translation>
    </message>
    <message>
        <source>Consent given on</source>
        <translation>Ngày đồng ý</translation>
    </message>
    <message>
        <source>Consent scope</source>
        <translation>Phạm vi đồng ý</translation>
    </message>
    <message>
        <source>Consent expires</source>
        <translation>Ngày hết hạn đồng ý</translation>
    </message>
    <message>
        <source>Installed on</source>
        <translation>Ngày lắp đặt</translation>
    </message>
    <message>
        <source>ONVIF address</source>
        <translation>Địa chỉ ONVIF</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>New camera</source>
        <translation>Thêm camera</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>Nhập CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Saved: {name}</source>
        <translation>Đã lưu: {name}</translation>
    </message>
    <message>
        <source>Delete camera {name} from the registry? A camera with bookmarks cannot be deleted; disable it instead.</source>
        <translation>Xóa camera {name} khỏi danh sách? Camera đã có đánh dấu thì không xóa được, hãy tắt camera đó.</translation>
    </message>
    <message>
        <source>Import camera registry</source>
        <translation>Nhập danh sách camera</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Tệp CSV (*.csv);;Mọi tệp (*)</translation>
    </message>
</context>
</TS>
