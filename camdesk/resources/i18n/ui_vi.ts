<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
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
        <source>No cameras yet</source>
        <translation>Chưa có camera nào</translation>
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
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About camdesk</source>
        <translation>&amp;Giới thiệu camdesk</translation>
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
</TS>