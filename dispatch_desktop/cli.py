"""Command line of the desktop app: ``dispatch-desktop`` and ``python -m dispatch_desktop``.

Parsing needs no Qt, so ``--help`` and ``--version`` answer at once, even on a machine where
Qt cannot start.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from dispatch_desktop import __version__


def _demo_job_count(text: str) -> int:
    # Imported here: the demo server's modules load only when the option is given.
    from dispatch_desktop.demo.synthetic import job_count

    return job_count(text)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the desktop app."""
    parser = argparse.ArgumentParser(
        prog="dispatch-desktop",
        description="Desktop client for the LEKAB Dispatch API: pick a saved job, adjust it, "
        "launch it safely.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in demo server and sign in to it (no real messages are sent)",
    )
    parser.add_argument(
        "--server", metavar="URL", help="the Dispatch API address to offer at sign-in"
    )
    parser.add_argument(
        "--demo-start-delay",
        metavar="SECONDS",
        type=float,
        default=2.0,
        help="with --demo: how long the demo server takes to start a job (default 2)",
    )
    parser.add_argument(
        "--demo-jobs",
        metavar="N",
        type=_demo_job_count,
        default=0,
        help="with --demo: add N synthetic saved jobs, to see the app at scale (default 0)",
    )
    parser.add_argument(
        "--language",
        choices=("sv", "en"),
        help="the language of the windows (default: as chosen in Settings, else the system's)",
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help="kiosk mode: full screen, a board of the jobs the administrator prepared, no "
        "settings, sign-out or quit (also set by the policy: kiosk = true)",
    )
    parser.add_argument(
        "--hash-pin",
        action="store_true",
        help="read a second-person PIN twice from the terminal and print its hash for the "
        "policy's pins key, then exit",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="print what an administrator needs to know and exit (non-zero: something blocks use)",
    )
    return parser


MIN_PIN_LENGTH = 4


def hash_pin_command(read: Callable[[str], str] = getpass.getpass) -> int:
    """``--hash-pin``: read the PIN twice without echo (never from the command line, which
    other users can see) and print its salted hash for the policy."""
    from dispatch_desktop.policy import hash_pin

    try:
        pin = read("PIN: ")
        again = read("The same PIN again: ")
    except (EOFError, KeyboardInterrupt):
        print("No PIN was given.", file=sys.stderr)
        return 1
    if pin != again:
        print("The two PINs differ; nothing was printed.", file=sys.stderr)
        return 1
    if len(pin) < MIN_PIN_LENGTH or pin != pin.strip():
        print(
            f"A PIN needs at least {MIN_PIN_LENGTH} characters and no blanks around it.",
            file=sys.stderr,
        )
        return 1
    print(hash_pin(pin))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the app."""
    args = build_parser().parse_args(argv)
    if args.diagnose:  # no Qt in this process: it must answer where Qt cannot start
        from dispatch_desktop.diagnose import main as diagnose

        return diagnose([])
    if args.hash_pin:  # no Qt either: an administrator may run it on any machine
        return hash_pin_command()
    from dispatch_desktop.ui.app import run  # Qt is imported only when the app really runs

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
