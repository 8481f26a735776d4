"""Command line: ``python -m dispatch_desktop.events`` (console script
``dispatch-desktop-receiver``), the headless receiver for a server in the company network.

The callback URL is one per system user, shared by every desktop of the company (F12), so one
receiver takes the callbacks and the desktops follow it (``GET /events``). The first line on
stdout is exactly ``Dispatch callback receiver listening on URL`` (the URL holds the callback
token), so that a script or test can read it. Ctrl+C or SIGTERM stop the receiver and exit
with 0.

Tokens never go on the command line, which every user of the machine can read (``ps``): each
comes from a file (``--token-file``, ``--events-token-file``), else an environment variable
(:data:`TOKEN_ENV`, :data:`EVENTS_TOKEN_ENV`), else the data folder, where it is created once
(readable by the owner only), so that the URLs stay the same across restarts. ``--token`` and
``--events-token`` still work, with a warning. The events token is never printed: the operator
reads it from its file and gives it to the desktops.

The events go to ``DATA/events.sqlite3`` (one node), or with ``--store postgresql://...`` (or
``--store-file FILE`` holding that address) to a PostgreSQL database that any number of
receiver nodes share (docs/receiver-postgresql.md). The address never holds a password:
libpq reads it from ``PGPASSFILE`` or ``PGPASSWORD``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dispatch_desktop.events.backends import ReceiverStore, is_postgres_address
from dispatch_desktop.events.receiver import CallbackReceiver, check_token
from dispatch_desktop.events.store import EventStore, EventStoreError
from dispatch_desktop.events.tokens import read_token, stored_token
from dispatch_desktop.httpserver import wait_for_stop_request
from dispatch_desktop.storage.private import private_folder

log = logging.getLogger(__name__)

STORE_FILE_NAME = "events.sqlite3"
# File names, not secrets.
CALLBACK_TOKEN_FILE_NAME = "callback-token"  # noqa: S105
EVENTS_TOKEN_FILE_NAME = "events-token"  # noqa: S105
# Names of environment variables, not secrets.
TOKEN_ENV = "DISPATCH_RECEIVER_TOKEN"  # noqa: S105
EVENTS_TOKEN_ENV = "DISPATCH_RECEIVER_EVENTS_TOKEN"  # noqa: S105


@dataclass(frozen=True)
class _TokenOptions:
    """Where one token may come from, in the order they are tried."""

    what: str
    file_option: str
    value_option: str
    env: str
    kept_in: str


_CALLBACK = _TokenOptions(
    "callback token", "--token-file", "--token", TOKEN_ENV, CALLBACK_TOKEN_FILE_NAME
)
_EVENTS = _TokenOptions(
    "events token",
    "--events-token-file",
    "--events-token",
    EVENTS_TOKEN_ENV,
    EVENTS_TOKEN_FILE_NAME,
)


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
    _add_token_options(parser, _CALLBACK, "callback token")
    _add_token_options(parser, _EVENTS, "bearer token of GET /events")
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--store",
        metavar="URL",
        help="a PostgreSQL database shared with other receiver nodes, e.g. "
        "postgresql://dispatch@db.example.com/dispatch (no password: use PGPASSFILE or "
        "PGPASSWORD); default: DATA/" + STORE_FILE_NAME,
    )
    store.add_argument(
        "--store-file", type=Path, metavar="FILE", help="file holding the --store address"
    )
    return parser


def _store(args: argparse.Namespace) -> ReceiverStore:
    """The event store chosen. Raises ``ValueError`` (a bad address), ``OSError`` (an
    unreadable --store-file) or :class:`EventStoreError`."""
    address: str | None = args.store
    if args.store_file is not None:
        address = args.store_file.read_text(encoding="utf-8").strip()
    if address is None:
        return EventStore(args.data / STORE_FILE_NAME)
    if not is_postgres_address(address):
        raise ValueError("--store takes a postgresql:// address.")
    try:
        from dispatch_desktop.events.pgstore import PostgresEventStore, check_address
    except ImportError:
        raise ValueError(
            "A PostgreSQL store needs psycopg: install dispatch-desktop[server]."
        ) from None
    check_address(address)  # ValueError, before anything is opened
    return PostgresEventStore(address)


def _add_token_options(
    parser: argparse.ArgumentParser, options: _TokenOptions, description: str
) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        options.file_option,
        type=Path,
        metavar="FILE",
        help=f"file holding the {description} (default: ${options.env}, else "
        f"DATA/{options.kept_in}, created once)",
    )
    group.add_argument(
        options.value_option,
        metavar="TOKEN",
        help=f"deprecated: other users can read a command line; use {options.file_option}",
    )


def _dest(option: str) -> str:
    return option.removeprefix("--").replace("-", "_")


def _token(args: argparse.Namespace, options: _TokenOptions) -> tuple[str, str]:
    """The token and where it came from (words for the operator). Raises ``ValueError``
    for an invalid token, ``OSError`` for a file that cannot be read."""
    path: Path | None = getattr(args, _dest(options.file_option))
    if path is not None:
        return read_token(path, options.what), f"in {path}"
    value: str | None = getattr(args, _dest(options.value_option))
    if value is not None:
        print(
            f"dispatch-desktop-receiver: warning: {options.value_option} is deprecated: "
            f"other users of this machine can read a command line; use "
            f"{options.file_option} or ${options.env}.",
            file=sys.stderr,
        )
        return check_token(value, options.what), f"given with {options.value_option}"
    value = os.environ.get(options.env, "").strip()
    if value:
        return check_token(value, options.what), f"from ${options.env}"
    kept = args.data / options.kept_in
    return stored_token(kept, options.what), f"in {kept}"


def _receiver(args: argparse.Namespace) -> tuple[CallbackReceiver, str]:
    """The receiver, and where its events token comes from (for the operator)."""
    private_folder(args.data)  # created 0700: it holds the tokens and every job event
    token, _ = _token(args, _CALLBACK)
    events_token, source = _token(args, _EVENTS)
    store = _store(args)
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
        print(f"Events stored in {receiver.store.location}; press Ctrl+C to stop.", flush=True)
        wait_for_stop_request()
        print("Stopping.", flush=True)
    receiver.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
