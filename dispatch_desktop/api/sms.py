"""How many SMS parts a message text needs (the counter under the message field).

A text that uses only the GSM 03.38 default alphabet is sent as GSM-7: 160 septets fit in one
SMS, and the characters of the extension table cost two septets (escape + character). Any other
character switches the whole text to UCS-2 (in practice UTF-16): 70 code units in one SMS, and a
character outside the Basic Multilingual Plane (most emoji) costs two units (a surrogate pair).

A longer text is split into concatenated parts whose user-data header leaves 153 septets or 67
units each. A part boundary never splits a two-septet character or a surrogate pair, so a part
may hold one unit less than its capacity; the parts are therefore counted by packing, not by
``ceil(n / 153)``.

National language shift tables (Turkish, Spanish, Portuguese, …) are not used: operators
rarely support them, and counting with them would promise fewer parts than are sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# GSM 03.38 default alphabet in code order 0x00–0x7F; 0x1B (escape to the extension table) is
# not a character of its own and is left out.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters that cost one septet."""

GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
"""Characters of the GSM 03.38 extension table; each costs two septets (escape + code)."""

GSM7_SINGLE_PART = 160
GSM7_MULTI_PART = 153
UCS2_SINGLE_PART = 70
UCS2_MULTI_PART = 67

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsCount:
    """The length of a message text as the SMS network sees it."""

    encoding: Encoding
    """"GSM-7" when every character is in the GSM alphabet, else "UCS-2"."""
    characters: int
    """Unicode code points, as a user counts them for most texts. A combined emoji (a flag, a
    skin tone, a ZWJ family) counts as each of its code points."""
    units: int
    """Septets for GSM-7, UTF-16 code units for UCS-2."""
    parts: int
    """SMS parts needed: 0 for an empty text."""
    remaining: int
    """Units still free in the last part (a full part's worth for an empty text)."""
    ucs2_characters: tuple[str, ...] = ()
    """The distinct characters outside the GSM alphabet, in order of first use: the ones to
    replace to get back to GSM-7."""


# Septets per character: the extension table's characters need the escape septet as well.
_GSM7_COST = dict.fromkeys(GSM7_BASIC, 1) | dict.fromkeys(GSM7_EXTENSION, 2)


def _utf16_cost(char: str) -> int:
    """UTF-16 code units for ``char``; counted from the code point so that a lone surrogate
    (which a text widget can hand over) does not raise as ``str.encode`` would."""
    return 2 if ord(char) > 0xFFFF else 1


def _pack(costs: list[int], single: int, multi: int) -> tuple[int, int]:
    """Parts and units left in the last part, never splitting one character's units."""
    total = sum(costs)
    if total == 0:
        return 0, single
    if total <= single:
        return 1, single - total
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return parts, multi - used


def count_sms(text: str) -> SmsCount:
    """Count ``text`` as one SMS message: encoding, units, parts and units left."""
    outside = tuple(dict.fromkeys(char for char in text if char not in _GSM7_COST))
    if outside:
        encoding: Encoding = "UCS-2"
        costs = [_utf16_cost(char) for char in text]
        parts, remaining = _pack(costs, UCS2_SINGLE_PART, UCS2_MULTI_PART)
    else:
        encoding = "GSM-7"
        costs = [_GSM7_COST[char] for char in text]
        parts, remaining = _pack(costs, GSM7_SINGLE_PART, GSM7_MULTI_PART)
    return SmsCount(encoding, len(text), sum(costs), parts, remaining, outside)
