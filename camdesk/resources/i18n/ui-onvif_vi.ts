<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>AddCameraDialog</name>
    <message>
        <source>Add camera</source>
        <translation>Thêm camera</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>ONVIF camera or recorder</source>
        <translation>Camera hoặc đầu ghi ONVIF</translation>
    </message>
    <message>
        <source>RTSP address only (no ONVIF)</source>
        <translation>Chỉ địa chỉ RTSP (không có ONVIF)</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Loại</translation>
    </message>
    <message>
        <source>192.168.1.64 or http://192.168.1.64/onvif/device_service</source>
        <translation>192.168.1.64 hoặc http://192.168.1.64/onvif/device_service</translation>
    </message>
    <message>
        <source>ONVIF address</source>
        <translation>Địa chỉ ONVIF</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Main stream URL</source>
        <translation>Địa chỉ luồng chính</translation>
    </message>
    <message>
        <source>Sub stream URL (optional)</source>
        <translation>Địa chỉ luồng phụ (không bắt buộc)</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>Luồng chính</translation>
    </message>
    <message>
        <source>Sub stream</source>
        <translation>Luồng phụ</translation>
    </message>
    <message>
        <source>Snapshot address</source>
        <translation>Địa chỉ ảnh chụp</translation>
    </message>
    <message>
        <source>PTZ camera</source>
        <translation>Camera quay quét (PTZ)</translation>
    </message>
    <message>
        <source>Recorder channels to add</source>
        <translation>Các kênh của đầu ghi sẽ thêm</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Testing the login…</source>
        <translation>Đang kiểm tra đăng nhập…</translation>
    </message>
    <message>
        <source>The address is valid. The wall will show whether the stream plays.</source>
        <translation>Địa chỉ hợp lệ. Màn hình giám sát sẽ cho biết luồng có phát được không.</translation>
    </message>
    <message>
        <source>The device answered, but offers no H.264 or H.265 stream.</source>
        <translation>Thiết bị có trả lời nhưng không có luồng H.264 hoặc H.265.</translation>
    </message>
    <message>
        <source>{manufacturer} {model}, firmware {firmware}, serial {serial}</source>
        <translation>{manufacturer} {model}, phần mềm {firmware}, số sê-ri {serial}</translation>
    </message>
    <message>
        <source>Login works. This recorder has {n} channels; each becomes a camera.</source>
        <translation>Đăng nhập thành công. Đầu ghi này có {n} kênh; mỗi kênh sẽ thành một camera.</translation>
    </message>
    <message>
        <source>Login works.</source>
        <translation>Đăng nhập thành công.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(không dùng)</translation>
    </message>
    <message>
        <source>{name}: {width}×{height} {codec} {fps} fps</source>
        <translation>{name}: {width}×{height} {codec} {fps} hình/giây</translation>
    </message>
</context>
<context>
    <name>DiscoveryDialog</name>
    <message>
        <source>Find cameras</source>
        <translation>Tìm camera</translation>
    </message>
    <message>
        <source>Also probe addresses:</source>
        <translation>Dò thêm các địa chỉ:</translation>
    </message>
    <message>
        <source>e.g. 192.168.10.20, 10.0.5.1-10.0.5.60, 10.0.7.0/24</source>
        <translation>ví dụ 192.168.10.20, 10.0.5.1-10.0.5.60, 10.0.7.0/24</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>Phần cứng</translation>
    </message>
    <message>
        <source>Manufacturer</source>
        <translation>Hãng sản xuất</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Kiểu máy</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>Phần mềm</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Số sê-ri</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Read details</source>
        <translation>Đọc thông tin</translation>
    </message>
    <message>
        <source>Add camera…</source>
        <translation>Thêm camera…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>{count} device(s) found.</source>
        <translation>Tìm thấy {count} thiết bị.</translation>
    </message>
    <message>
        <source>No device answered. Check the network, or type the camera's address.</source>
        <translation>Không có thiết bị nào trả lời. Hãy kiểm tra mạng hoặc nhập địa chỉ của camera.</translation>
    </message>
    <message>
        <source>Already added</source>
        <translation>Đã thêm</translation>
    </message>
    <message>
        <source>Select a device first.</source>
        <translation>Hãy chọn một thiết bị trước.</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Đã đăng nhập</translation>
    </message>
</context>
<context>
    <name>EventsDock</name>
    <message>
        <source>Events</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Camera {id}</source>
        <translation>Camera {id}</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Xóa danh sách</translation>
    </message>
    <message>
        <source>Motion started</source>
        <translation>Bắt đầu có chuyển động</translation>
    </message>
    <message>
        <source>Motion ended</source>
        <translation>Hết chuyển động</translation>
    </message>
    <message>
        <source>{topic}: {state}</source>
        <translation>{topic}: {state}</translation>
    </message>
    <message>
        <source>on</source>
        <translation>bật</translation>
    </message>
    <message>
        <source>off</source>
        <translation>tắt</translation>
    </message>
</context>
<context>
    <name>PtzDock</name>
    <message>
        <source>PTZ</source>
        <translation>Điều khiển PTZ</translation>
    </message>
    <message>
        <source>No PTZ camera selected</source>
        <translation>Chưa chọn camera PTZ</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <source>Zoom −</source>
        <translation>Thu nhỏ −</translation>
    </message>
    <message>
        <source>Zoom +</source>
        <translation>Phóng to +</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Về vị trí gốc</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Điểm đặt sẵn</translation>
    </message>
    <message>
        <source>Preset name</source>
        <translation>Tên điểm đặt sẵn</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>Đi tới</translation>
    </message>
    <message>
        <source>Save current</source>
        <translation>Lưu vị trí hiện tại</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Đổi tên</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>Tuần tra</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Điểm đặt sẵn</translation>
    </message>
    <message>
        <source>Dwell (s)</source>
        <translation>Dừng (giây)</translation>
    </message>
    <message>
        <source>Add selected preset</source>
        <translation>Thêm điểm đang chọn</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <source>Start tour</source>
        <translation>Bắt đầu tuần tra</translation>
    </message>
    <message>
        <source>Stop tour</source>
        <translation>Dừng tuần tra</translation>
    </message>
    <message>
        <source>Camera {id}</source>
        <translation>Camera {id}</translation>
    </message>
    <message>
        <source>Reading the camera's PTZ abilities…</source>
        <translation>Đang đọc khả năng PTZ của camera…</translation>
    </message>
    <message>
        <source>This camera has no PTZ.</source>
        <translation>Camera này không có PTZ.</translation>
    </message>
    <message>
        <source>Preset {n}</source>
        <translation>Điểm {n}</translation>
    </message>
    <message>
        <source>Preset saved.</source>
        <translation>Đã lưu điểm đặt sẵn.</translation>
    </message>
    <message>
        <source>Type the new name first.</source>
        <translation>Hãy nhập tên mới trước.</translation>
    </message>
    <message>
        <source>Add presets to the tour first.</source>
        <translation>Hãy thêm điểm đặt sẵn vào lượt tuần tra trước.</translation>
    </message>
    <message>
        <source>Tour running</source>
        <translation>Đang tuần tra</translation>
    </message>
</context>
</TS>