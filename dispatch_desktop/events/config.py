"""The user's choice of where job events come from (kept apart: it imports nothing heavy)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

DEFAULT_PORT = 8765


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
    follow_token: str = ""
