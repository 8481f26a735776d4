"""Authentication of every request ("Different authentication methods", F6; 1.2.2, G5)."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Iterator, Mapping
from email.message import Message
from typing import Any

from dispatch_desktop.demo.data import ACCOUNTS, ADDRESS_BOOK_READERS, API_KEYS


class Unauthorized(Exception):
    """Answered with 401 and no body (1.2.2)."""


def _text(value: Any) -> str:
    # The reference: fields of unused methods are "omitted or set to the empty string".
    return value if isinstance(value, str) else ""


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _password_user(username: str, password: str) -> str:
    expected = ACCOUNTS.get(username)
    if expected is None or not _equal(password, expected):
        raise Unauthorized
    return username


def _key_user(key: str) -> str:
    for known, username in API_KEYS.items():
        if _equal(key, known):
            return username
    raise Unauthorized


def _b64_text(value: str) -> str:
    try:
        return base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized from None


def _supplied_users(headers: Message, params: Mapping[str, Any]) -> Iterator[str]:
    """The user of every method that was supplied; Unauthorized if one of them is wrong."""
    username, password = _text(params.get("username")), _text(params.get("password"))
    if username or password:
        yield _password_user(username, password)
    authorization = headers.get("Authorization", "").strip()
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "basic":
            raise Unauthorized
        user, separator, secret = _b64_text(token).partition(":")
        if not separator:
            raise Unauthorized
        yield _password_user(user, secret)
    lekab_user = headers.get("X-Lekab-Userid", "").strip()
    lekab_password = headers.get("X-Lekab-Password", "").strip()
    if lekab_user or lekab_password:
        yield _password_user(_b64_text(lekab_user), _b64_text(lekab_password))
    for key in (_text(params.get("apikey")), headers.get("X-API-Key", "").strip()):
        if key:
            yield _key_user(key)


def authenticate(headers: Message, params: Mapping[str, Any]) -> str:
    """Return the signed-in username, or raise :class:`Unauthorized`.

    Every method that is supplied must be valid and name the same account; at least one must
    be supplied. An account that cannot read any address book is refused as well (G5).
    """
    users = set(_supplied_users(headers, params))
    if len(users) != 1:
        raise Unauthorized
    (username,) = users
    if username not in ADDRESS_BOOK_READERS:
        raise Unauthorized
    return username
