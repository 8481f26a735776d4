"""Masks credentials in text that may quote a request URL (GET sends U, P and key)."""

import re

_SECRET_QUERY = re.compile(r"(?i)([?&](?:U|P|key|password|apikey)=)[^&\s'\"]*")


def redact(text: str) -> str:
    """Hide credential values in a URL or a message that quotes one (GET sends U, P, key)."""
    return _SECRET_QUERY.sub(r"\1***", text)
