<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>Errors</name>
    <message>
        <source>Not an IPv4 address or range: {value}</source>
        <translation>Không phải địa chỉ hoặc dải địa chỉ IPv4: {value}</translation>
    </message>
    <message>
        <source>Too many addresses to probe (at most {limit}).</source>
        <translation>Quá nhiều địa chỉ cần dò (tối đa {limit}).</translation>
    </message>
    <message>
        <source>This camera has no ONVIF address.</source>
        <translation>Camera này không có địa chỉ ONVIF.</translation>
    </message>
</context>
</TS>