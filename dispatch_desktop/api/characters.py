"""Characters the Dispatch server would misread, and the sentence that names one.

The server takes every parameter as the characters it receives: an invisible character in a tag
value is part of the value (``On call:Yes`` with a zero-width space after it matches nobody, so
an exclusion excludes nobody), a line separator in a job name splits it in some views and not
in others, and a lone surrogate cannot be encoded as UTF-8 at all. Such characters are refused
before anything is sent (docs/input-rules.md):

* control characters (Unicode category Cc), except a line break in a message: ``\\n``, or
  ``\\r\\n`` as one break (a lone ``\\r`` is refused);
* line and paragraph separators (U+2028, U+2029; U+0085 is a control character);
* format characters (Cf): zero-width space and joiners, byte order mark, soft hyphen, bidi
  embeddings, overrides and isolates, ...;
* lone surrogates (Cs, U+D800-U+DFFF), which a Python string can carry;
* noncharacters (U+FDD0-U+FDEF and the last two code points of every plane);
* in tag, saved-filter and group names only: spaces other than the ordinary space (no-break
  space, thin space, ideographic space, ...), which look the same and match nobody.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from dispatch_desktop.api.errors import ValidationError
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

# What each kind of forbidden character is, and why it must not be sent, in plain words: one
# whole sentence per kind, so each reads naturally once translated. %1 is what holds the
# character ("the text", "the name 'x'"), %2 its name and code point, %3 its position.
_KINDS: dict[str, str] = {
    "Cc": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, a control character, at position %3; it would reach the server as an "
        "invisible control code. Delete it, or type the text again instead of pasting it",
    ),
    "Zl": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, a line separator, at position %3; some programs show it as a line "
        "break and others not at all. Delete it, or type the text again instead of pasting it",
    ),
    "Cf": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, an invisible formatting character, at position %3; the server would "
        "take it as part of the text although nobody can see it. Delete it, or type the text "
        "again instead of pasting it",
    ),
    "Cs": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, half of a broken character (a lone surrogate), at position %3; it "
        "cannot be sent at all. Delete it, or type the text again instead of pasting it",
    ),
    "noncharacter": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, a noncharacter, reserved for internal use, at position %3; it is not "
        "meant to be exchanged and may be dropped or replaced on the way. Delete it, or type "
        "the text again instead of pasting it",
    ),
    "name-space": QT_TRANSLATE_NOOP(
        "Library",
        "%1 contains %2, a space that is not an ordinary space, at position %3; tag, filter "
        "and group names are compared character by character, so the name would match "
        "nobody. Delete it, or type the text again instead of pasting it",
    ),
}
_KINDS["Zp"] = _KINDS["Zl"]
# Control characters have no Unicode name; these three are common enough to name in words.
_CONTROL_NAMES = {
    "\t": QT_TRANSLATE_NOOP("Library", "TAB"),
    "\n": QT_TRANSLATE_NOOP("Library", "LINE FEED"),
    "\r": QT_TRANSLATE_NOOP("Library", "CARRIAGE RETURN"),
    "\x85": QT_TRANSLATE_NOOP("Library", "NEXT LINE"),
}
THE_TEXT = QT_TRANSLATE_NOOP("Library", "the text")
"""What a whole field's text is called in the sentence of :meth:`ForbiddenCharacter.said`."""


def is_noncharacter(character: str) -> bool:
    """True for the 66 noncharacters: U+FDD0-U+FDEF and U+xFFFE, U+xFFFF of every plane."""
    code = ord(character)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _kind(text: str, index: int, line_breaks: bool, names: bool) -> str | None:
    """The kind of forbidden character at ``text[index]`` (a key of ``_KINDS``), or None."""
    character = text[index]
    if line_breaks and (character == "\n" or text.startswith("\r\n", index)):
        return None
    if is_noncharacter(character):
        return "noncharacter"
    category = unicodedata.category(character)
    if names and category == "Zs" and character != " ":
        return "name-space"
    return category if category in _KINDS else None


@dataclass(frozen=True)
class ForbiddenCharacter:
    """A character that must not be sent, and where it is (``position`` counts from 1)."""

    character: str
    position: int
    kind: str

    @property
    def code_point(self) -> str:
        """``U+200B``."""
        return f"U+{ord(self.character):04X}"

    @property
    def name(self) -> Phrase:
        """``ZERO WIDTH SPACE (U+200B)``, or the code point alone when it has no name. The
        Unicode name is the standard's own (English in every language); the few names of
        control characters are ours, and translated."""
        control = _CONTROL_NAMES.get(self.character)
        if control is not None:
            return Phrase("%1 (%2)", Phrase(control), self.code_point)
        name = unicodedata.name(self.character, "")
        return Phrase("%1 (%2)", name, self.code_point) if name else Phrase(self.code_point)

    def said(self, subject: str) -> Phrase:
        """What it is, where, and why it is refused, said of ``subject`` (what holds it: "the
        text", or a phrase that quotes the name); it never contains the character itself."""
        return Phrase(_KINDS[self.kind], subject, self.name, str(self.position))


def find_forbidden(
    text: str, *, line_breaks: bool = False, names: bool = False
) -> ForbiddenCharacter | None:
    """The first character of ``text`` that must not be sent; ``line_breaks`` allows the line
    breaks of a message; ``names`` also refuses look-alike spaces (no-break space, thin space,
    ...), which in a tag, filter or group name would match nobody."""
    for index in range(len(text)):
        kind = _kind(text, index, line_breaks, names)
        if kind is not None:
            return ForbiddenCharacter(text[index], index + 1, kind)
    return None


def check_characters(text: str, label: str, field: str | None, *, line_breaks: bool = False) -> str:
    """Return ``text`` if it has no forbidden character, else raise :class:`ValidationError`
    ``"{label}: the text contains ..."`` for ``field`` (``label`` marked for translation)."""
    found = find_forbidden(text, line_breaks=line_breaks)
    if found is not None:
        said = found.said(Phrase(THE_TEXT))
        raise ValidationError(
            f"{label}: {said}.", field, label=label, rule=said.rule, values=said.values
        )
    return text
