"""Masks credentials in text before it is logged, journaled, shown, exported or raised.

Two kinds of masking:

- by shape (:func:`redact`): the places a credential stands in a request — query parameters
  (GET sends ``U``, ``P`` and ``key``, F6), JSON or Python-dict fields (``"password": …``),
  header lines and ``Authorization``-style values (``Basic …``, ``Bearer …``);
- by value (:class:`Scrubber`): the secrets themselves in every form a server or gateway may
  echo them — plain, URL-encoded, JSON-escaped, HTML-escaped, and Base64 (alone, inside a Basic
  header, or at any alignment inside a longer Base64 text).

Every secret a client is built with is also registered process-wide (:func:`register_secret`),
so that :func:`redact` masks it in crash reports and log lines too.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"

_MIN_ANYWHERE = 4
"""A form shorter than this is masked only where it stands alone (a word of its own), so a
three-letter secret does not blank every word it is part of."""

_SECRET_QUERY = re.compile(r"(?i)([?&](?:U|P|key|password|apikey|token)=)[^&\s'\"]*")
_CREDENTIAL_NAMES = (
    r"password|passwd|apikey|api_key|x-api-key|authorization|proxy-authorization|"
    r"x-lekab-[a-z-]+|events?_?token|token"
)
_SECRET_FIELD = re.compile(
    rf"""(?ix)
    (?P<name>(["']?)(?:{_CREDENTIAL_NAMES})\2)   # the name, maybe quoted
    (?P<sep>\s*[:=]\s*)                           # : or =
    (?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;}}&]+)   # the value, quoted or bare
    """
)
_SECRET_HEADER_LINE = re.compile(rf"(?im)^(\s*(?:{_CREDENTIAL_NAMES})\s*:[ \t]*)[^\r\n]*")
_SCHEME_TOKEN = re.compile(r"(?i)\b(Basic|Bearer|Digest)\s+[A-Za-z0-9+/=_.~-]{4,}")


def _mask_shapes(text: str) -> str:
    text = _SECRET_QUERY.sub(rf"\1{MASK}", text)
    text = _SECRET_HEADER_LINE.sub(rf"\1{MASK}", text)
    text = _SECRET_FIELD.sub(rf"\g<name>\g<sep>{MASK}", text)
    return _SCHEME_TOKEN.sub(rf"\1 {MASK}", text)


def _base64_cores(data: bytes) -> set[str]:
    """What ``data`` looks like inside any Base64 text: for each of the three alignments, the
    characters that depend on ``data``'s bits only."""
    cores = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode("ascii")
        first = -(-8 * offset // 6)  # ceil: characters still carrying prefix bits
        last = 8 * (offset + len(data)) // 6  # floor: characters carrying padding bits
        core = encoded[first:last]
        cores.add(core)
        cores.add(core.translate(str.maketrans("+/", "-_")))  # URL-safe alphabet
    return cores


def _lower_hex(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


def secret_forms(secret: str) -> set[str]:
    """Every form of ``secret`` a server may echo."""
    data = secret.encode("utf-8", "surrogatepass")
    forms = {
        secret,
        " ".join(secret.split()),  # as HTML-to-text and log folding show it
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        html.escape(secret),
        html.escape(secret, quote=False),
        base64.b64encode(data).decode("ascii"),
        base64.urlsafe_b64encode(data).decode("ascii"),
        *_base64_cores(data),
    }
    forms |= {_lower_hex(form) for form in forms}
    return {form for form in forms if form}


class Scrubber:
    """Masks a set of secrets, in all their forms, in any text. Thread-safe."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Mask ``secrets`` too (empty and ``None`` are ignored)."""
        new = {s for s in secrets if s} - self._secrets
        if not new:
            return
        with self._lock:
            self._secrets |= new
            self._pattern = _pattern_for(self._secrets)

    def __call__(self, text: str) -> str:
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text

    def __repr__(self) -> str:
        return f"Scrubber({len(self._secrets)} secrets)"


def _pattern_for(secrets: Iterable[str]) -> re.Pattern[str]:
    forms = set().union(*(secret_forms(s) for s in secrets))
    alternatives = []
    for form in sorted(forms, key=len, reverse=True):  # longest first: mask the whole form
        escaped = re.escape(form)
        alternatives.append(escaped if len(form) >= _MIN_ANYWHERE else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(alternatives))


_REGISTERED = Scrubber()


def register_secret(*secrets: str | None) -> None:
    """Have :func:`redact` mask these secrets from now on, in this process."""
    _REGISTERED.add(*secrets)


def redact(text: str) -> str:
    """Mask credentials by shape, and every registered secret in any of its forms."""
    return _REGISTERED(_mask_shapes(text))


class RedactingFilter(logging.Filter):
    """Masks credentials in a record's message, formatted with its arguments (urllib3 logs
    request URLs, which in GET mode carry ``U``, ``P`` or ``key``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class RedactingFormatter(logging.Formatter):
    """Masks credentials in everything a record becomes: message, arguments, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
