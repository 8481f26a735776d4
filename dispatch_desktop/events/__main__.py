"""Command line: ``python -m dispatch_desktop.events`` (console script
``dispatch-desktop-receiver``), the headless receiver for a server in the company network.

The callback URL is one per system user, shared by every desktop of the company (F12), so one
receiver takes the callbacks and the desktops follow it (``GET /events``). The first line on
stdout is exactly ``Dispatch callback receiver listening on URL`` (the URL holds the callback
token), so that a script or test can read it. The tokens not given on the command line are
created once and kept in the data folder (files readable by the owner only), so the URLs stay
the same across restarts. The events token is never printed: the operator reads it from its
file and gives it to the desktops. Ctrl+C or SIGTERM stop the receiver and exit with 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from dispatch_desktop.events.receiver import CallbackReceiver
from dispatch_desktop.events.store import EventStore, EventStoreError
from dispatch_desktop.events.tokens import stored_token
from dispatch_desktop.httpserver import wait_for_stop_request

log = logging.getLogger(__name__)

STORE_FILE_NAME = "events.sqlite3"
# File names, not secrets.
CALLBACK_TOKEN_FILE_NAME = "callback-token"  # noqa: S105
EVENTS_TOKEN_FILE_NAME = "events-token"  # noqa: S105


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 5 or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dispatch-desktop-receiver",
        description=(
            "Receive LEKAB Dispatch job event callbacks, store them, and serve them to the "
            "desktops that follow this receiver."
        ),
        epilog=(
            "Plain HTTP: expose it to the Dispatch server through a TLS-terminating reverse "
            "proxy, and enter the proxy's https URL (with the same /callbacks/TOKEN path) in "
            "the system user's account settings."
        ),
    )
    parser.add_argument("--bind", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=_port, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--data", required=True, type=Path, help="folder of the event store and the tokens"
    )
    parser.add_argument(
        "--token",
        help=f"callback token (default: kept in DATA/{CALLBACK_TOKEN_FILE_NAME}); "
        "visible to other users in the process list",
    )
    parser.add_argument(
        "--events-token",
        help=f"bearer token of GET /events (default: kept in DATA/{EVENTS_TOKEN_FILE_NAME})",
    )
    return parser


def _receiver(args: argparse.Namespace) -> tuple[CallbackReceiver, str]:
    """The receiver, and where its events token comes from (for the operator)."""
    args.data.mkdir(parents=True, exist_ok=True)
    store = EventStore(args.data / STORE_FILE_NAME)
    token = args.token or stored_token(args.data / CALLBACK_TOKEN_FILE_NAME, "callback token")
    if args.events_token:
        events_token, source = args.events_token, "given with --events-token"
    else:
        events_file = args.data / EVENTS_TOKEN_FILE_NAME
        events_token, source = stored_token(events_file, "events token"), f"in {events_file}"
    receiver = CallbackReceiver(
        store, args.bind, args.port, token, serve_events=True, events_token=events_token
    )
    return receiver, source


def main(argv: Sequence[str] | None = None) -> int:
    """Run the receiver until Ctrl+C or SIGTERM; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        receiver, token_source = _receiver(args)
        receiver.start()
    except ValueError as exc:
        parser.error(str(exc))
    except (OSError, EventStoreError) as exc:
        print(f"dispatch-desktop-receiver: {exc}", file=sys.stderr)
        return 1
    with receiver:
        print(f"Dispatch callback receiver listening on {receiver.callback_url}", flush=True)
        print(f"Events for desktops: {receiver.events_url} (bearer token {token_source})")
        print(f"Events stored in {receiver.store.path}; press Ctrl+C to stop.", flush=True)
        wait_for_stop_request()
        print("Stopping.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
