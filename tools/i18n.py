#!/usr/bin/env python3
"""Translation workflow. English is the source language; Vietnamese lives in ``.ts`` files.

One ``.ts`` file per package directory (``camdesk/ui/wall`` -> ``ui-wall_vi.ts``), so people working on
different parts never edit the same file.

    python tools/i18n.py update [DIR ...]   # collect strings from the sources into the .ts files
    python tools/i18n.py todo               # list strings that have no Vietnamese yet
    python tools/i18n.py fill FILE.json     # {"ts name": {"source": "translation"}} -> .ts files
    python tools/i18n.py release            # compile every .ts to .qm (the app loads .qm)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "camdesk"
I18N = PKG / "resources" / "i18n"
LANG = "vi"
MARKERS = re.compile(r"\b(?:tr|translate|QT_TRANSLATE_NOOP|QT_TR_NOOP)\(")
SKIP = {"sim", "resources"}


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease from the same environment as this Python."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(here) if here.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        sys.exit(f"pyside6-{name} not found; run inside the project's virtual environment")
    return found


def areas() -> dict[str, list[Path]]:
    """ts name -> the Python sources whose strings it holds."""
    out: dict[str, list[Path]] = {}
    for py in sorted(PKG.rglob("*.py")):
        rel = py.parent.relative_to(PKG)
        if rel.parts and rel.parts[0] in SKIP:
            continue
        if not MARKERS.search(py.read_text(encoding="utf-8")):
            continue
        name = "-".join(rel.parts) or "core"
        out.setdefault(name, []).append(py)
    return out


def ts_path(name: str, lang: str = LANG) -> Path:
    return I18N / f"{name}_{lang}.ts"


def update(sources: dict[str, list[Path]], ts_dir: Path = I18N) -> None:
    ts_dir.mkdir(parents=True, exist_ok=True)
    for name, files in sources.items():
        target = ts_dir / ts_path(name).name
        cmd = [tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete", "-target-language", "vi_VN",
               *map(str, files), "-ts", str(target)]
        subprocess.run(cmd, check=True)


def messages(ts: Path) -> list[tuple[str, str, str, bool]]:
    """(context, source, translation, finished) for every message in a .ts file."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        cname = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            text = (tr.text or "") if tr is not None else ""
            finished = tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete") and bool(text)
            out.append((cname, msg.findtext("source") or "", text, finished))
    return out


def todo(ts_dir: Path = I18N) -> list[str]:
    missing = []
    for ts in sorted(ts_dir.glob(f"*_{LANG}.ts")):
        for ctx, src, _tr, ok in messages(ts):
            if not ok:
                missing.append(f"{ts.name}: [{ctx}] {src!r}")
    return missing


def fill(mapping_file: Path) -> None:
    data = json.loads(mapping_file.read_text(encoding="utf-8"))
    for name, table in data.items():
        ts = ts_path(name)
        tree = ET.parse(ts)
        for msg in tree.getroot().iter("message"):
            src = msg.findtext("source") or ""
            if src in table:
                tr = msg.find("translation")
                if tr is None:
                    tr = ET.SubElement(msg, "translation")
                tr.text = table[src]
                tr.attrib.pop("type", None)
        tree.write(ts, encoding="utf-8", xml_declaration=True)


def release(ts_dir: Path = I18N, out_dir: Path = I18N) -> None:
    for ts in sorted(ts_dir.glob("*.ts")):
        qm = out_dir / (ts.stem + ".qm")
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "update":
        wanted = {Path(d).resolve() for d in argv[1:]}
        sources = areas()
        if wanted:
            sources = {k: v for k, v in sources.items() if v[0].parent.resolve() in wanted}
        update(sources)
    elif cmd == "todo":
        missing = todo()
        print("\n".join(missing) or "all strings translated")
        return 1 if missing else 0
    elif cmd == "fill":
        fill(Path(argv[1]))
    elif cmd == "release":
        release()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
