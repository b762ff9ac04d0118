<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Tile</name>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Đang kết nối lại…</translation>
    </message>
    <message>
        <source>Connection lost. Reconnecting in {seconds} s</source>
        <translation>Mất kết nối. Thử lại sau {seconds} giây</translation>
    </message>
    <message>
        <source>Offline since {time}</source>
        <translation>Mất tín hiệu từ {time}</translation>
    </message>
    <message>
        <source>Wrong user name or password</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu</translation>
    </message>
    <message>
        <source>Unsupported video format</source>
        <translation>Định dạng video không được hỗ trợ</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <source>{fps} fps</source>
        <translation>{fps} hình/giây</translation>
    </message>
    <message>
        <source>{kbps} kbit/s</source>
        <translation>{kbps} kbit/s</translation>
    </message>
    <message>
        <source>latency {ms} ms</source>
        <translation>trễ {ms} ms</translation>
    </message>
    <message>
        <source>Drag a camera here</source>
        <translation>Kéo camera vào đây</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <source>1 large + 5 small</source>
        <translation>1 lớn + 5 nhỏ</translation>
    </message>
    <message>
        <source>1 large + 7 small</source>
        <translation>1 lớn + 7 nhỏ</translation>
    </message>
    <message>
        <source>2 large + 8 small</source>
        <translation>2 lớn + 8 nhỏ</translation>
    </message>
    <message>
        <source>A layout has 1 to 16 rows and columns.</source>
        <translation>Bố cục phải có từ 1 đến 16 hàng và cột.</translation>
    </message>
    <message>
        <source>A tile has a negative position or size.</source>
        <translation>Một ô có vị trí hoặc kích thước âm.</translation>
    </message>
    <message>
        <source>A tile reaches outside the grid.</source>
        <translation>Một ô vượt ra ngoài lưới.</translation>
    </message>
    <message>
        <source>Two tiles overlap.</source>
        <translation>Có hai ô chồng lên nhau.</translation>
    </message>
    <message>
        <source>No picture to save on this tile.</source>
        <translation>Ô này chưa có hình để chụp.</translation>
    </message>
    <message>
        <source>Snapshot saved to {path}</source>
        <translation>Đã lưu ảnh chụp vào {path}</translation>
    </message>
    <message>
        <source>The snapshot could not be saved: {reason}</source>
        <translation>Không lưu được ảnh chụp: {reason}</translation>
    </message>
</context>
</TS>
