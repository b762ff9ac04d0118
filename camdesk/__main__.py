"""Command line: ``camdesk [--data-dir DIR] [--lang vi|en] [--demo]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from camdesk import __version__, self_command
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
    backups = parser.add_argument_group("backups (camdesk must not be running)")
    backups.add_argument("--list-backups", action="store_true", help="list the database backups, newest first")
    backups.add_argument(
        "--restore-backup",
        nargs="?",
        const="latest",
        metavar="FILE",
        help="replace the database with a backup (default: the newest undamaged one); "
        "the current database is kept beside it",
    )
    return parser


def backup_command(data_dir: Path, restore: str | None) -> int:
    """``--list-backups`` / ``--restore-backup [FILE]``: plain text for the person at the terminal."""
    from camdesk.errors import CamdeskError
    from camdesk.paths import DataDir
    from camdesk.store.backup import Backups

    dirs = DataDir(data_dir)
    backups = Backups(dirs.database, dirs.backups)
    if restore is None:
        files = backups.files()
        for f in files:
            print(f)
        if not files:
            print(f"no backups in {dirs.backups}")
        return 0
    try:
        used = backups.restore_latest() if restore == "latest" else backups.restore(Path(restore))
    except (CamdeskError, OSError) as exc:
        print(f"camdesk: restore failed: {exc}", file=sys.stderr)
        return 1
    print(f"restored {dirs.database} from {used}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Helper processes the app starts of itself (camdesk/self_command.py), before any option parsing.
    if argv[:1] == [self_command.SIM]:  # the demo's virtual cameras
        from camdesk.sim.__main__ import main as sim

        return sim(argv[1:])
    if argv == [self_command.EVENT_HELPER]:  # camera events (camdesk/onvif/event_relay.py)
        from camdesk.onvif.event_helper import main as event_helper

        return event_helper()
    args = build_parser().parse_args(argv)
    if args.list_backups or args.restore_backup:
        return backup_command(args.data_dir or default_data_dir(), args.restore_backup)
    from camdesk.app import run  # after argument parsing, so --help and --version stay fast

    return run(
        data_dir=args.data_dir or default_data_dir(),
        lang=args.lang,
        demo=args.demo,
        log_level=args.log_level,
    )


if __name__ == "__main__":
    sys.exit(main())
