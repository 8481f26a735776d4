"""Command line: ``python -m dispatch_desktop.demo`` (console script ``dispatch-demo-server``).

The first line on stdout is exactly ``Dispatch demo server listening on URL``, so that a
script or test can read the URL; Ctrl+C or SIGTERM stop the server and exit with 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dispatch_desktop.demo.data import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    NO_ADDRESS_BOOK_USERNAME,
    SAVED_JOBS,
)
from dispatch_desktop.demo.server import DemoServer
from dispatch_desktop.demo.synthetic import job_count
from dispatch_desktop.httpserver import wait_for_stop_request


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dispatch-demo-server",
        description="Demo LEKAB Dispatch server with demo data and simulated callbacks.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--callback-url", help="URL that receives the job event callbacks")
    parser.add_argument(
        "--start-delay",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="how long /startsavedjob takes to start a job (default %(default)s)",
    )
    parser.add_argument(
        "--jobs",
        type=job_count,
        default=0,
        metavar="N",
        help="add N synthetic saved jobs to the demo's own, to see the app at scale "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="how much faster than real time the simulated responders answer (default 1)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo server until Ctrl+C or SIGTERM; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        server = DemoServer(
            args.host,
            args.port,
            args.callback_url,
            args.start_delay,
            args.speed,
            synthetic_jobs=args.jobs,
        )
    except ValueError as exc:
        parser.error(str(exc))
    with server:
        print(f"Dispatch demo server listening on {server.url}", flush=True)
        print(f"Account: {DEMO_USERNAME} / password: {DEMO_PASSWORD}")
        print(f"API key: {DEMO_API_KEY}")
        print(
            f"Account {NO_ADDRESS_BOOK_USERNAME} / {DEMO_PASSWORD} cannot read any address "
            "book and is refused (401)."
        )
        if args.jobs:
            print(f"Saved jobs: the demo's {len(SAVED_JOBS)} and {args.jobs:,} synthetic ones.")
        print(f"Callbacks: {args.callback_url or 'off'}; press Ctrl+C to stop.", flush=True)
        wait_for_stop_request()
        print("Stopping.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
