<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>Desk</name>
    <message>
        <source>Bookmark</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <source>Bookmark the picture on the selected tile (B)</source>
        <translation>Đánh dấu hình ảnh đang hiển thị ở ô được chọn (B)</translation>
    </message>
    <message>
        <source>Bookmark the picture on the selected tile</source>
        <translation>Đánh dấu hình ảnh đang hiển thị ở ô được chọn</translation>
    </message>
    <message>
        <source>Select a tile with a camera to bookmark it.</source>
        <translation>Hãy chọn một ô đang có camera để đánh dấu.</translation>
    </message>
    <message>
        <source>Bookmarks need the database, which is not open.</source>
        <translation>Không mở được cơ sở dữ liệu nên chưa thể đánh dấu.</translation>
    </message>
    <message>
        <source>&amp;Cameras</source>
        <translation>&amp;Camera</translation>
    </message>
    <message>
        <source>&amp;Add camera…</source>
        <translation>&amp;Thêm camera…</translation>
    </message>
    <message>
        <source>&amp;Find cameras on the network…</source>
        <translation>&amp;Tìm camera trong mạng…</translation>
    </message>
    <message>
        <source>PTZ control on the tile</source>
        <translation>Điều khiển PTZ ngay trên ô hình</translation>
    </message>
    <message>
        <source>PTZ control on the selected tile: drag, wheel, arrows, +/-</source>
        <translation>Điều khiển PTZ trên ô được chọn: kéo chuột, lăn chuột, phím mũi tên, +/-</translation>
    </message>
    <message>
        <source>Camera {id}</source>
        <translation>Camera {id}</translation>
    </message>
    <message>
        <source>This camera cannot pan, tilt or zoom.</source>
        <translation>Camera này không quay, quét hoặc phóng to được.</translation>
    </message>
    <message>
        <source>Cameras cannot be added without the database.</source>
        <translation>Không thể thêm camera khi chưa mở được cơ sở dữ liệu.</translation>
    </message>
    <message>
        <source>Camera "{name}" added.</source>
        <translation>Đã thêm camera "{name}".</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>An unexpected error occurred ({detail}). It was written to the log; camdesk keeps running.</source>
        <translation>Đã xảy ra lỗi ngoài dự kiến ({detail}). Lỗi đã được ghi vào nhật ký; camdesk vẫn tiếp tục hoạt động.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>camdesk - Security camera control room</source>
        <translation>camdesk - Phòng giám sát camera an ninh</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Wall</source>
        <translation>Màn hình giám sát</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>Bố cục:</translation>
    </message>
    <message>
        <source>Save layout…</source>
        <translation>Lưu bố cục…</translation>
    </message>
    <message>
        <source>Layout tour</source>
        <translation>Tự chuyển bố cục</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Thông số</translation>
    </message>
    <message>
        <source>New wall window</source>
        <translation>Mở cửa sổ giám sát mới</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Hiển thị</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Bố cục</translation>
    </message>
    <message>
        <source>Open this layout on screen</source>
        <translation>Mở bố cục này trên màn hình</translation>
    </message>
    <message>
        <source>&amp;Layouts</source>
        <translation>&amp;Bố cục</translation>
    </message>
    <message>
        <source>Rename layout…</source>
        <translation>Đổi tên bố cục…</translation>
    </message>
    <message>
        <source>Delete layout</source>
        <translation>Xóa bố cục</translation>
    </message>
    <message>
        <source>Tour interval…</source>
        <translation>Thời gian mỗi bố cục…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Phím tắt</translation>
    </message>
    <message>
        <source>&amp;About camdesk</source>
        <translation>&amp;Giới thiệu camdesk</translation>
    </message>
    <message>
        <source>Cameras: {total}   Online: {online}   Offline: {offline}</source>
        <translation>Camera: {total}   Hoạt động: {online}   Mất tín hiệu: {offline}</translation>
    </message>
    <message>
        <source>Layout "{name}" saved</source>
        <translation>Đã lưu bố cục "{name}"</translation>
    </message>
    <message>
        <source>Save layout</source>
        <translation>Lưu bố cục</translation>
    </message>
    <message>
        <source>Name of the layout:</source>
        <translation>Tên bố cục:</translation>
    </message>
    <message>
        <source>The layout needs a name.</source>
        <translation>Bố cục cần có tên.</translation>
    </message>
    <message>
        <source>Save the layout first, then it can be renamed.</source>
        <translation>Hãy lưu bố cục trước, sau đó mới đổi tên được.</translation>
    </message>
    <message>
        <source>Rename layout</source>
        <translation>Đổi tên bố cục</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <source>This layout is not saved.</source>
        <translation>Bố cục này chưa được lưu.</translation>
    </message>
    <message>
        <source>Delete the layout "{name}"?</source>
        <translation>Xóa bố cục "{name}"?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Save at least one layout to start a tour.</source>
        <translation>Cần lưu ít nhất một bố cục để tự chuyển bố cục.</translation>
    </message>
    <message>
        <source>Show each layout for (seconds):</source>
        <translation>Thời gian hiển thị mỗi bố cục (giây):</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>About camdesk</source>
        <translation>Giới thiệu camdesk</translation>
    </message>
    <message>
        <source>camdesk {version}
Video wall and evidence desk for the ward police.</source>
        <translation>camdesk {version}
Màn hình giám sát và quản lý chứng cứ cho Công an phường.</translation>
    </message>
    <message>
        <source>camdesk</source>
        <translation>camdesk</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Arrow keys</source>
        <translation>Phím mũi tên</translation>
    </message>
    <message>
        <source>Move the selection to the neighbouring tile</source>
        <translation>Chuyển sang ô bên cạnh</translation>
    </message>
    <message>
        <source>Enter / double-click</source>
        <translation>Enter / nhấp đúp</translation>
    </message>
    <message>
        <source>Fill the wall with the selected camera (main stream)</source>
        <translation>Phóng to camera đang chọn ra cả màn hình (luồng chính)</translation>
    </message>
    <message>
        <source>Esc / double-click</source>
        <translation>Esc / nhấp đúp</translation>
    </message>
    <message>
        <source>Back to the whole layout</source>
        <translation>Trở về bố cục đầy đủ</translation>
    </message>
    <message>
        <source>Layout 1 camera</source>
        <translation>Bố cục 1 camera</translation>
    </message>
    <message>
        <source>Layout 2×2</source>
        <translation>Bố cục 2×2</translation>
    </message>
    <message>
        <source>Layout 3×3</source>
        <translation>Bố cục 3×3</translation>
    </message>
    <message>
        <source>Layout 4×4</source>
        <translation>Bố cục 4×4</translation>
    </message>
    <message>
        <source>Layout 5×5</source>
        <translation>Bố cục 5×5</translation>
    </message>
    <message>
        <source>Layout 6×6</source>
        <translation>Bố cục 6×6</translation>
    </message>
    <message>
        <source>Layout 8×8</source>
        <translation>Bố cục 8×8</translation>
    </message>
    <message>
        <source>Layout 1 large + 5 small</source>
        <translation>Bố cục 1 lớn + 5 nhỏ</translation>
    </message>
    <message>
        <source>Full screen on/off</source>
        <translation>Bật/tắt toàn màn hình</translation>
    </message>
    <message>
        <source>Save a snapshot (PNG) of the selected camera</source>
        <translation>Chụp ảnh (PNG) camera đang chọn</translation>
    </message>
    <message>
        <source>Remove the camera from the selected tile</source>
        <translation>Bỏ camera khỏi ô đang chọn</translation>
    </message>
    <message>
        <source>Mouse wheel</source>
        <translation>Con lăn chuột</translation>
    </message>
    <message>
        <source>Digital zoom on a tile</source>
        <translation>Phóng to kỹ thuật số trong ô</translation>
    </message>
    <message>
        <source>Drag (zoomed)</source>
        <translation>Kéo chuột (khi đang phóng to)</translation>
    </message>
    <message>
        <source>Move around in the zoomed picture</source>
        <translation>Di chuyển vùng xem trong hình đã phóng to</translation>
    </message>
    <message>
        <source>Drag a tile</source>
        <translation>Kéo một ô</translation>
    </message>
    <message>
        <source>Swap two tiles</source>
        <translation>Đổi chỗ hai ô</translation>
    </message>
    <message>
        <source>Drag a camera from the list</source>
        <translation>Kéo camera từ danh sách</translation>
    </message>
    <message>
        <source>Show it on a tile</source>
        <translation>Hiển thị camera đó trong ô</translation>
    </message>
    <message>
        <source>This list of shortcuts</source>
        <translation>Bảng phím tắt này</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Phím tắt</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Phím</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Chức năng</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>Layout</source>
        <translation>Bố cục</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>Bố cục:</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <source>camdesk wall - {layout}</source>
        <translation>camdesk giám sát - {layout}</translation>
    </message>
</context>
<context>
    <name>WindowManager</name>
    <message>
        <source>Screen {n}: {name} ({w}×{h})</source>
        <translation>Màn hình {n}: {name} ({w}×{h})</translation>
    </message>
</context>
</TS>