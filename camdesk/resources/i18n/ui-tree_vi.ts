<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraTree</name>
    <message>
        <source>Without a group</source>
        <translation>Chưa thuộc tổ dân phố</translation>
    </message>
    <message>
        <source>{name} ({online}/{total})</source>
        <translation>{name} ({online}/{total})</translation>
    </message>
    <message>
        <source>{online} of {total} cameras online</source>
        <translation>{online}/{total} camera đang hoạt động</translation>
    </message>
</context>
<context>
    <name>CameraTreePanel</name>
    <message>
        <source>Find a camera, street or group…</source>
        <translation>Tìm camera, tên đường hoặc tổ dân phố…</translation>
    </message>
</context>
</TS>
