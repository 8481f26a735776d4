"""The start-job form's rules that need no Qt (docs/launch-safety.md, "The form").

- The exercise marker: an exercise sends the form's message with the marker in front, never
  twice, and never without a message of the form's own (the saved job's message cannot be
  marked).
- Keep or replace: recipients given in the form either add to the saved job's recipients or
  replace them (``tokeep``), and the dispatcher must say which.
- Tag spellings: tag types and values not in the vocabulary are flagged, with the nearest
  known spelling.
- After a launch: whether the form must be emptied because messages may have gone out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dispatch_desktop.api import GenericType, StartJobRequest, TagFilter, ValidationError
from dispatch_desktop.api.validation import is_set
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP

# -- the exercise marker ----------------------------------------------------------------------

EXERCISE_NEEDS_MESSAGE = QT_TRANSLATE_NOOP(
    "Library",
    "Message: an exercise needs a message written here; the saved job's own message cannot "
    "be marked as an exercise.",
)


def is_marked(message: str, markers: Sequence[str]) -> bool:
    """True when ``message`` already starts with one of ``markers``, compared without case
    and without the blanks around the marker ("exercise –" counts as "EXERCISE – ")."""
    start = message.lstrip().casefold()
    return any(m.strip() and start.startswith(m.strip().casefold()) for m in markers)


def marked_message(message: str | None, markers: Sequence[str]) -> str:
    """What an exercise sends: ``markers[0]`` in front of ``message``, unless the message
    already starts with one of ``markers``. Raises :class:`ValidationError` on the message
    field when there is no message to mark."""
    if message is None or not message.strip():
        raise ValidationError(EXERCISE_NEEDS_MESSAGE, "message")
    return message if is_marked(message, markers) else markers[0] + message


def unmarked_message(sent: str, markers: Sequence[str]) -> str:
    """The message to show in the form for an exercise that sent ``sent``: without the
    marker, whenever marking it again gives back exactly ``sent``; else ``sent`` itself (it is
    then already marked, or its marker is no longer one of ``markers``)."""
    marker = markers[0]
    if sent.startswith(marker):
        rest = sent[len(marker) :]
        if rest.strip() and marked_message(rest, markers) == sent:
            return rest
    return sent


def launch_mode(*, demo: bool, exercise: bool) -> LaunchMode:
    """The mode a launch is journaled with. A demo launch stays DEMO even as an exercise
    (a drill of a drill): the demo world is what keeps it apart from real launches, and the
    marker still goes out in its message."""
    if demo:
        return LaunchMode.DEMO
    return LaunchMode.EXERCISE if exercise else LaunchMode.LIVE


def was_exercise(mode: LaunchMode, sent_message: str | None, markers: Sequence[str]) -> bool:
    """Whether a journaled launch was an exercise: an EXERCISE row, or a demo row whose
    message starts with the marker (a demo exercise is journaled as DEMO)."""
    if mode is LaunchMode.EXERCISE:
        return True
    marker = markers[0]
    return mode is LaunchMode.DEMO and bool(sent_message) and sent_message.startswith(marker)


# -- keep or replace the saved job's recipients -------------------------------------------------

RECIPIENT_FIELDS = (
    "tonumbers",
    "toaddressbookcustomtagfilter",
    "toaddressbooktagfilterjson",
    "toaddressbooksavedtagfilters",
    "toaddressbookgroups",
)
"""The request fields that name recipients (the exclusions do not)."""

KEEP_CHOICE_NEEDED = QT_TRANSLATE_NOOP(
    "Library",
    "The saved job's own recipients: choose whether the recipients given here are added to "
    "them or replace them.",
)


def gives_recipients(request: StartJobRequest) -> bool:
    """True when the request names any recipient of its own."""
    return any(is_set(getattr(request, name)) for name in RECIPIENT_FIELDS)


def tokeep_for(
    recipients_given: bool, keep: bool | None, generic_type: GenericType | None
) -> bool | None:
    """The request's ``tokeep``: ``None`` without recipients (nothing to decide) or while the
    dispatcher has not chosen; ``False`` for a GMA job, which always replaces; else the choice
    (``True``: add to the saved recipients). ``False`` is never sent (replacing is the
    server's default) but tells the confirmation what was chosen."""
    if not recipients_given:
        return None
    if generic_type is GenericType.GMA:
        return False
    return keep


def keep_problem(request: StartJobRequest, generic_type: GenericType | None) -> str:
    """The form's problem when recipients are given and add-or-replace is not chosen."""
    undecided = request.tokeep is None and generic_type is not GenericType.GMA
    return KEEP_CHOICE_NEEDED if undecided and gives_recipients(request) else ""


# -- tag spellings --------------------------------------------------------------------------

Vocabulary = Mapping[str, Iterable[str]]


def sorted_unique(names: Iterable[str]) -> list[str]:
    """Trimmed names without blanks or duplicates, sorted case-insensitively."""
    return sorted({name.strip() for name in names if name.strip()}, key=lambda s: (s.casefold(), s))


def normalize_vocabulary(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Trim names, drop blanks and duplicates, sort case-insensitively for the popups."""
    merged: dict[str, set[str]] = {}
    for tagtype, values in vocabulary.items():
        if tagtype.strip():
            merged.setdefault(tagtype.strip(), set()).update(values)
    return {tagtype: sorted_unique(merged[tagtype]) for tagtype in sorted_unique(merged)}


def vocabulary_values(vocabulary: Vocabulary, tagtype: str) -> list[str]:
    """Known values of ``tagtype``; the type is matched case-insensitively so that "base"
    typed in a hurry still offers the values of "Base"."""
    wanted = tagtype.strip().casefold()
    return sorted_unique(
        value
        for known_type, values in vocabulary.items()
        if known_type.strip().casefold() == wanted
        for value in values
    )


def nearest_spelling(word: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``word``, compared case-insensitively ("bse" -> "Base"),
    or ``None`` when none is close enough to be a likely typo."""
    by_folded: dict[str, str] = {}
    for name in sorted_unique(known):
        by_folded.setdefault(name.casefold(), name)
    found = difflib.get_close_matches(word.strip().casefold(), by_folded, n=1, cutoff=0.6)
    return by_folded[found[0]] if found else None


@dataclass(frozen=True)
class UnknownTag:
    """A tag type, or a value of a tag type, that is not in the vocabulary."""

    tagtype: str
    value: str | None = None
    """``None`` when the tag type itself is unknown."""
    suggestion: str | None = None
    """The nearest known spelling (of the type, or of the value), if any is close."""

    def __str__(self) -> str:
        return self.tagtype if self.value is None else f"{self.tagtype}: {self.value}"


def unknown_tags(
    conditions: Iterable[tuple[str, Sequence[str]]], vocabulary: Vocabulary
) -> list[UnknownTag]:
    """Every tag type and value of ``conditions`` ((type, values) pairs) that is not spelled
    as in ``vocabulary``, in order and once each. The values of an unknown type are not
    checked: they belong to another type than the one meant."""
    types = [name.strip() for name in vocabulary]
    found: list[UnknownTag] = []
    for typed_type, values in conditions:
        tagtype = typed_type.strip()
        if not tagtype:
            continue
        known_values = vocabulary_values(vocabulary, tagtype)
        if tagtype not in types:
            found.append(UnknownTag(tagtype, None, nearest_spelling(tagtype, types)))
            if not known_values:  # not even "base" for "Base": the values are not comparable
                continue
        for typed_value in values:
            value = typed_value.strip()
            if value and value not in known_values:
                found.append(UnknownTag(tagtype, value, nearest_spelling(value, known_values)))
    unique: dict[str, UnknownTag] = {}
    for tag in found:
        unique.setdefault(str(tag), tag)
    return list(unique.values())


def filter_conditions(request: StartJobRequest) -> list[tuple[str, list[str]]]:
    """The (type, values) conditions of the request's tag filters: recipients first, then
    exclusions."""
    conditions: list[tuple[str, list[str]]] = []
    for name in ("toaddressbookcustomtagfilter", "excludecustomtagfilter"):
        value = getattr(request, name)
        if value is not None:
            conditions.extend(
                (part.tagtype, list(part.values)) for part in TagFilter.coerce(value).parts
            )
    return conditions


def tags_of(request: StartJobRequest) -> dict[str, list[str]]:
    """The tag types and values a request uses, for the vocabulary."""
    used: dict[str, list[str]] = {}
    for tagtype, values in filter_conditions(request):
        known = used.setdefault(tagtype, [])
        known.extend(v for v in values if v not in known)
    return used


# -- after a launch -------------------------------------------------------------------------


def may_have_sent(outcome: Outcome) -> bool:
    """Whether messages may have gone out: then the form must not stay ready to send the same
    launch again. After an outcome that sent nothing (refused, not started, cancelled…) the
    form keeps what was typed, so the dispatcher can correct it and try again."""
    return outcome.started or outcome in (Outcome.UNKNOWN, Outcome.PENDING)
