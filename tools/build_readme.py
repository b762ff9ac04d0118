#!/usr/bin/env python3
"""Stitch the capability guides in docs/readme/*.md into README.md, between the SECTIONS markers.

Each guide is written next to the code it documents (by whoever builds that capability); the README is
what a newcomer reads. Headings are demoted one level and relative links re-rooted at the repository.

    python tools/build_readme.py          # rewrite README.md
    python tools/build_readme.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ORDER = ["wall", "records", "onvif", "engine", "engine-rtsp", "store", "sim", "sim-onvif", "wall-bench"]
BEGIN, END = "<!-- SECTIONS -->", "<!-- /SECTIONS -->"


def section(name: str) -> str:
    text = (ROOT / "docs" / "readme" / f"{name}.md").read_text(encoding="utf-8").strip()
    text = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.M)
    text = text.replace("](../screenshots/", "](docs/screenshots/").replace("](../../", "](")
    return text


def build(current: str) -> str:
    guides = [n for n in ORDER if (ROOT / "docs" / "readme" / f"{n}.md").exists()]
    body = "\n\n".join(section(n) for n in guides)
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{body}\n\n{END}{tail}"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    if BEGIN not in current:
        sys.exit(f"README.md has no {BEGIN} marker")
    if END not in current:
        current = current.replace(BEGIN, f"{BEGIN}\n{END}")
    new = build(current)
    if "--check" in argv:
        return 0 if new == current else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
