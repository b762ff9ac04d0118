"""Command line: ``camdesk [--data-dir DIR] [--lang vi|en] [--demo]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from camdesk import __version__
from camdesk.paths import default_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="camdesk",
        description="Video wall and evidence desk for a ward police control room.",
    )
    parser.add_argument("--version", action="version", version=f"camdesk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where the database, settings, logs, recordings and snapshots live (default: {default_data_dir()})",
    )
    parser.add_argument("--lang", choices=("vi", "en"), default=None, help="user interface language")
    parser.add_argument(
        "--demo", action="store_true", help="start 9 virtual cameras and open a 3x3 wall on them"
    )
    parser.add_argument(
        "--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"), help="logging detail"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from camdesk.app import run  # after argument parsing, so --help and --version stay fast

    return run(
        data_dir=args.data_dir or default_data_dir(),
        lang=args.lang,
        demo=args.demo,
        log_level=args.log_level,
    )


if __name__ == "__main__":
    sys.exit(main())
