"""The user's choice of where job events come from (kept apart: it imports nothing heavy)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from dispatch_desktop.api.proxy import is_loopback_host
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

DEFAULT_PORT = 8765
EVENTS_PATH = "/events"
"""Where a receiver serves its stored events to followers."""


class SourceMode(enum.Enum):
    """How this desktop gets job events."""

    OFF = "off"
    EMBEDDED = "embedded"
    FOLLOW = "follow"


@dataclass(frozen=True)
class SourceConfig:
    """The user's choice (Settings). ``follow_token`` is a secret: never stored in settings."""

    mode: SourceMode = SourceMode.OFF
    bind: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    follow_url: str = ""
    """One or more receiver addresses, separated by spaces or commas (:func:`follow_addresses`)."""
    follow_token: str = ""


def check_follow_url(base_url: str) -> str:
    """The events URL of the receiver at ``base_url``. Raises ``ValueError`` with a sentence (a
    :class:`Phrase`) for
    an address the events token must not travel to: anything but ``https://``, except plain
    ``http://`` to this computer (the events token is a credential, like the API's)."""
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The shared receiver address %1 is not a web address; it should look like "
                    "https://receiver.example.com.",
                ),
                repr(base_url),
            )
        )
    if parts.username is not None or parts.password is not None:
        # It would be logged as typed and repeated in every error; the token is the credential.
        raise ValueError(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The shared receiver address must not hold a user name or password; the "
                    "events token is what signs in.",
                )
            )
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The shared receiver address %1 uses plain http://, which would send the "
                    "events token unencrypted; use https:// (plain http is allowed only to this "
                    "computer).",
                ),
                repr(base_url),
            )
        )
    return url if url.endswith(EVENTS_PATH) else url + EVENTS_PATH


def follow_addresses(text: str) -> list[str]:
    """The receiver addresses in ``text``: one or more, separated by spaces or commas, as
    typed. Several are the nodes of one receiver that share a database (the same events and
    cursors), tried in this order."""
    return [address for address in re.split(r"[\s,]+", text.strip()) if address]


def check_follow_urls(text: str) -> list[str]:
    """The events URL of each address in ``text`` (:func:`follow_addresses`), each checked as
    :func:`check_follow_url` does; ``ValueError`` for none, or for the first one refused."""
    addresses = follow_addresses(text)
    if not addresses:
        return [check_follow_url(text)]  # raises: no web address
    return [check_follow_url(address) for address in addresses]
