<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Wall</name>
    <message>
        <source>1 large + 5 small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 large + 7 small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 large + 8 small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A layout has 1 to 16 rows and columns.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tile has a negative position or size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tile reaches outside the grid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two tiles overlap.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
