"""Tag filters of the Dispatch address book (reference 2.2.6, F9).

A filter is a list of parts joined by ``;`` (AND); a part is ``type:value1|value2`` (OR).
Types and values must not contain ``;``, ``|`` or ``:``; spaces inside names are legal. Nor may
a filter contain a character the server would misread (api/characters.py): the server compares
names character by character, so an invisible one makes a name match nobody.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from dispatch_desktop.api.characters import find_forbidden
from dispatch_desktop.api.errors import ValidationError, refusal
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

FORBIDDEN_CHARACTERS = ";|:"

# The sentences of a refused part, for a tag type and for a tag value: whole sentences (not a
# word put in), so each reads naturally once translated.
_EMPTY = {
    "tag type": QT_TRANSLATE_NOOP("Library", "Tag filter part %1: the tag type is empty."),
    "tag value": QT_TRANSLATE_NOOP("Library", "Tag filter part %1: the tag value is empty."),
}
_SEPARATOR_INSIDE = {
    "tag type": QT_TRANSLATE_NOOP(
        "Library",
        "Tag filter part %1: the tag type %2 contains %3; tag types and values must not "
        "contain ';', '|' or ':'.",
    ),
    "tag value": QT_TRANSLATE_NOOP(
        "Library",
        "Tag filter part %1: the tag value %2 contains %3; tag types and values must not "
        "contain ';', '|' or ':'.",
    ),
}


_HOLDING = {
    "tag type": QT_TRANSLATE_NOOP("Library", "the tag type %1"),
    "tag value": QT_TRANSLATE_NOOP("Library", "the tag value %1"),
}
_IN_PART = QT_TRANSLATE_NOOP("Library", "Tag filter part %1: %2.")


def _check_name(name: str, what: str, part_text: str, field: str) -> str:
    found = find_forbidden(name, names=True)
    if found is not None:
        said = found.said(Phrase(_HOLDING[what], repr(name.strip())))
        raise refusal(field, _IN_PART, repr(part_text), said)
    trimmed = name.strip()
    if not trimmed:
        raise refusal(field, _EMPTY[what], repr(part_text))
    bad = sorted({c for c in trimmed if c in FORBIDDEN_CHARACTERS})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise refusal(field, _SEPARATOR_INSIDE[what], repr(part_text), repr(trimmed), shown)
    return trimmed


def _check_characters(text: str, field: str) -> None:
    """Refuse a forbidden character anywhere in a filter's text, naming the part it is in and
    its position in the whole text."""
    found = find_forbidden(text, names=True)
    if found is not None:
        part = text.split(";")[text.count(";", 0, found.position - 1)]
        holder = Phrase(QT_TRANSLATE_NOOP("Library", "Tag filter part %1"), repr(part.strip()))
        said = found.said(holder)
        raise ValidationError(f"{said}.", field, rule=said.rule, values=said.values)


_NOT_JSON = QT_TRANSLATE_NOOP("Library", "The JSON tag filter is not valid JSON: %1")
# What Python's JSON parser says most often; another of its sentences is shown as it is.
_PARSER_PROBLEMS = {
    QT_TRANSLATE_NOOP("Library", "Expecting value"),
    QT_TRANSLATE_NOOP("Library", "Expecting ',' delimiter"),
    QT_TRANSLATE_NOOP("Library", "Expecting ':' delimiter"),
    QT_TRANSLATE_NOOP("Library", "Expecting property name enclosed in double quotes"),
    QT_TRANSLATE_NOOP("Library", "Extra data"),
    QT_TRANSLATE_NOOP("Library", "Unterminated string starting at"),
    QT_TRANSLATE_NOOP("Library", "Invalid control character at"),
}


def _json_problem(exc: json.JSONDecodeError) -> Phrase:
    """The parser's sentence (``str(exc)``, word for word), its parts kept for the windows."""
    problem = Phrase(exc.msg) if exc.msg in _PARSER_PROBLEMS else exc.msg
    return Phrase(
        QT_TRANSLATE_NOOP("Library", "%1: line %2 column %3 (char %4)"),
        problem,
        str(exc.lineno),
        str(exc.colno),
        str(exc.pos),
    )


_EMPTY_FILTER = QT_TRANSLATE_NOOP("Library", "The tag filter is empty: give at least one tag type.")


@dataclass(frozen=True)
class TagFilterPart:
    """One AND-ed condition: a contact matches if it has ``tagtype`` with any of ``values``."""

    tagtype: str
    values: tuple[str, ...]

    def __init__(self, tagtype: str, values: Any, *, field: str = "tag filter") -> None:
        if isinstance(values, str):
            values = (values,)
        values = tuple(values)
        part_text = f"{tagtype}:{'|'.join(values)}"
        if not values:
            raise refusal(
                field,
                QT_TRANSLATE_NOOP("Library", "Tag filter part %1: no tag value is given."),
                repr(part_text),
            )
        object.__setattr__(self, "tagtype", _check_name(tagtype, "tag type", part_text, field))
        object.__setattr__(
            self, "values", tuple(_check_name(v, "tag value", part_text, field) for v in values)
        )

    def __str__(self) -> str:
        return f"{self.tagtype}:{'|'.join(self.values)}"

    def matches(self, tags: dict[str, set[str]] | dict[str, frozenset[str]]) -> bool:
        """True if a contact with these tags (type -> set of values) fulfils this part."""
        return bool(tags.get(self.tagtype, set()) & set(self.values))


@dataclass(frozen=True)
class TagFilter:
    """A whole filter: every part must match (AND)."""

    parts: tuple[TagFilterPart, ...]

    def __init__(self, parts: Any, *, field: str = "tag filter") -> None:
        parts = tuple(parts)
        if not parts:
            raise refusal(field, _EMPTY_FILTER)
        object.__setattr__(self, "parts", parts)

    @classmethod
    def parse(cls, text: str, *, field: str = "tag filter") -> TagFilter:
        """Parse the string form, e.g. ``"Base:STO|OSL|CPH;On call:Yes"``.

        Raises :class:`ValidationError` naming the offending part.
        """
        if not isinstance(text, str):
            raise refusal(field, QT_TRANSLATE_NOOP("Library", "A tag filter must be text."))
        if not text.strip():
            raise refusal(field, _EMPTY_FILTER)
        _check_characters(text, field)
        parts = []
        for raw_part in text.split(";"):
            part_text = raw_part.strip()
            if not part_text:
                raise refusal(
                    field,
                    QT_TRANSLATE_NOOP(
                        "Library",
                        "The tag filter %1 has an empty part (two ';' in a row, or a ';' at an "
                        "end).",
                    ),
                    repr(text.strip()),
                )
            if ":" not in part_text:
                raise refusal(
                    field,
                    QT_TRANSLATE_NOOP(
                        "Library",
                        "Tag filter part %1 has no ':' between tag type and values; write it "
                        "as type:value1|value2.",
                    ),
                    repr(part_text),
                )
            tagtype, _, values = part_text.partition(":")
            if ":" in values:
                raise refusal(
                    field,
                    QT_TRANSLATE_NOOP(
                        "Library",
                        "Tag filter part %1 contains more than one ':'; tag types and values "
                        "must not contain ';', '|' or ':'.",
                    ),
                    repr(part_text),
                )
            parts.append(TagFilterPart(tagtype, values.split("|"), field=field))
        return cls(parts, field=field)

    @classmethod
    def coerce(cls, value: TagFilter | str, *, field: str = "tag filter") -> TagFilter:
        """Accept a :class:`TagFilter` or its string form."""
        if isinstance(value, TagFilter):
            return value
        return cls.parse(value, field=field)

    def __str__(self) -> str:
        return ";".join(str(p) for p in self.parts)

    def matches(self, tags: dict[str, set[str]] | dict[str, frozenset[str]]) -> bool:
        """True if a contact with these tags fulfils every part."""
        return all(part.matches(tags) for part in self.parts)

    def to_json(self) -> list[dict[str, Any]]:
        """The JSON form (G1): the reference never shows it; this is the documented shape
        ``[{"tagtype": "Base", "tagvalues": ["STO", "OSL"]}, ...]``."""
        return [{"tagtype": p.tagtype, "tagvalues": list(p.values)} for p in self.parts]

    @classmethod
    def from_json(cls, data: Any, *, field: str = "tag filter") -> TagFilter:
        """Inverse of :meth:`to_json`; accepts the list or its JSON text."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise refusal(field, _NOT_JSON, _json_problem(exc)) from exc
        if not isinstance(data, list):
            raise refusal(
                field,
                QT_TRANSLATE_NOOP("Library", "The JSON tag filter must be a list of filter parts."),
            )
        parts = []
        for item in data:
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("tagtype"), str)
                or not isinstance(item.get("tagvalues"), list)
                or not all(isinstance(v, str) for v in item["tagvalues"])
            ):
                raise refusal(
                    field,
                    QT_TRANSLATE_NOOP("Library", "JSON tag filter part %1 must look like %2."),
                    repr(item),
                    '{"tagtype": "Base", "tagvalues": ["STO"]}',
                )
            parts.append(TagFilterPart(item["tagtype"], item["tagvalues"], field=field))
        return cls(parts, field=field)
