"""The /startsavedjob rules (reference 2.2.1, 2.2.2, F7, F8, F10) and recipient resolution.

Recipients are resolved from the address book when the call is made (2.2.6, F11).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dispatch_desktop.api.errors import ValidationError
from dispatch_desktop.api.tagfilter import TagFilter
from dispatch_desktop.demo.data import (
    CONTACTS,
    GMA_GLOBAL_FILTERS,
    GROUPS,
    SAVED_TAG_FILTERS,
    Contact,
    GmaSelection,
    GmmRecipients,
    SavedJob,
)
from dispatch_desktop.demo.params import START_FIELDS, BadRequest, Source

_BY_PHONE = {contact.phone: contact for contact in CONTACTS}
_BY_ID = {contact.contact_id: contact for contact in CONTACTS}
_PHONE = re.compile(r"\+?[0-9]{3,15}")
# ISO 8601 with minutes or seconds precision and an explicit offset or Z (2.2.1, F10).
_SCHEDULED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})")
#: Without a saved or given response goal, this many recipients answer YES at most.
DEFAULT_RESPONDERS = 5
_GENERIC_NAMES = {"GMM": "GenericMonitoredMessage", "GMA": "GenericMultiAssign"}
# Parameters refused for GMA (2.2.2, F8); tokeep is refused only when true.
_GMM_ONLY = (
    "tonumbers",
    "toaddressbooksavedtagfilters",
    "toaddressbookgroups",
    "excludenumbers",
    "excludecustomtagfilter",
    "excludetagfilterjson",
)


@dataclass(frozen=True)
class Recipient:
    """One resolved recipient: an address book contact, or a bare number (no contact id)."""

    phone: str
    name: str
    contact_id: int | None
    tags: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, contact: Contact) -> Recipient:
        """The recipient for an address book contact."""
        return cls(contact.phone, contact.name, contact.contact_id, contact.tags)


@dataclass(frozen=True)
class AssignGoal:
    """``count`` recipients from ``pool`` will answer YES and be assigned."""

    pool: tuple[Recipient, ...]
    count: int


@dataclass(frozen=True)
class Resolution:
    """Who gets the job's messages, and who will answer, per response goal."""

    recipients: tuple[Recipient, ...]
    goals: tuple[AssignGoal, ...]
    responsegoal: int | None


def _label(name: str, source: Source) -> str:
    return START_FIELDS[name].label(source)


def _filter(
    params: Mapping[str, Any], text_name: str, json_name: str, source: Source
) -> TagFilter | None:
    """The filter given as a string or as JSON (G1); both forms at once is refused."""
    text, document = params.get(text_name), params.get(json_name)
    if text is not None and document is not None:
        raise BadRequest(
            f"Give {_label(text_name, source)} or {json_name}, not both: they are the same filter."
        )
    try:
        if text is not None:
            return TagFilter.parse(text, field=text_name)
        if document is not None:
            return TagFilter.from_json(document, field=json_name)
    except ValidationError as exc:
        raise BadRequest(f"{_label(exc.field or text_name, source)}: {exc}") from None
    return None


def _numbers(values: Iterable[str], name: str, source: Source) -> tuple[str, ...]:
    numbers = []
    for value in values:
        number = value.replace(" ", "").replace("-", "")
        if not _PHONE.fullmatch(number):
            raise BadRequest(f"{_label(name, source)}: {value!r} is not a phone number.")
        numbers.append(number)
    return tuple(numbers)


def _scheduled_start(text: str, source: Source, now: datetime) -> datetime:
    label = _label("scheduledstart", source)
    hint = " (in a URL, write the '+' of an offset as %2B)" if " " in text else ""
    if not _SCHEDULED.fullmatch(text.strip()):
        raise BadRequest(
            f"{label} {text!r} is not an ISO 8601 time with minutes or seconds and an offset "
            f"or Z, like 2022-02-14T15:00:00Z{hint}."
        )
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest(f"{label} {text!r} is not a valid date and time.") from None
    if moment <= now:
        raise BadRequest(f"{label} {text!r} is not in the future.")
    return moment


@dataclass(frozen=True)
class StartRequest:
    """A formally valid /startsavedjob call, before the saved job's rules are applied."""

    source: Source
    given: frozenset[str]
    jobid: int
    jobname: str | None
    message: str | None
    assignedmessage: str | None
    tonumbers: tuple[str, ...]
    tofilter: TagFilter | None
    savedfilters: tuple[str, ...]
    groups: tuple[str, ...]
    excludenumbers: tuple[str, ...]
    excludefilter: TagFilter | None
    tokeep: bool
    responsegoal: int | None
    scheduledstart: datetime | None

    @classmethod
    def parse(cls, params: Mapping[str, Any], source: Source, now: datetime) -> StartRequest:
        """Check the formal rules that hold for every job type; BadRequest if one is broken."""
        if "jobid" not in params:
            raise BadRequest(f"{_label('jobid', source)} is missing.")
        goal = params.get("responsegoal")
        if goal is not None and goal <= 0:
            raise BadRequest(f"{_label('responsegoal', source)} must be an integer > 0.")
        scheduled = params.get("scheduledstart")
        return cls(
            source=source,
            given=frozenset(params),
            jobid=params["jobid"],
            jobname=params.get("jobname"),
            message=params.get("message"),
            assignedmessage=params.get("assignedmessage"),
            tonumbers=_numbers(params.get("tonumbers", ()), "tonumbers", source),
            tofilter=_filter(
                params, "toaddressbookcustomtagfilter", "toaddressbooktagfilterjson", source
            ),
            savedfilters=tuple(params.get("toaddressbooksavedtagfilters", ())),
            groups=tuple(params.get("toaddressbookgroups", ())),
            excludenumbers=_numbers(params.get("excludenumbers", ()), "excludenumbers", source),
            excludefilter=_filter(params, "excludecustomtagfilter", "excludetagfilterjson", source),
            tokeep=params.get("tokeep", False),
            responsegoal=goal,
            scheduledstart=None if scheduled is None else _scheduled_start(scheduled, source, now),
        )

    def label(self, name: str) -> str:
        """A parameter's name as this caller spelled it."""
        return _label(name, self.source)


def check_rules(request: StartRequest, job: SavedJob) -> None:
    """Refuse what the job's generic type does not allow (2.2.2, F7, F8)."""
    kind = f"job type {job.type} ({_GENERIC_NAMES[job.generic_type]})"
    if job.generic_type == "GMM":
        if request.assignedmessage is not None and request.assignedmessage.strip():
            raise BadRequest(
                f"{request.label('assignedmessage')} is not allowed for {kind}: its assigned "
                "message comes from the job type settings."
            )
        return
    refused = [request.label(name) for name in _GMM_ONLY if name in request.given]
    if request.tokeep:
        refused.append(request.label("tokeep"))
    if refused:
        raise BadRequest(f"Not allowed for {kind}: {', '.join(refused)}.")
    if request.tofilter is not None and request.responsegoal is None:
        raise BadRequest(f"A new tag filter for {kind} needs {request.label('responsegoal')}.")
    if request.tofilter is None and request.responsegoal is not None:
        raise BadRequest(
            f"{request.label('responsegoal')} for {kind} needs a new tag filter "
            f"({request.label('toaddressbookcustomtagfilter')} or toaddressbooktagfilterjson)."
        )


def check_names(request: StartRequest) -> None:
    """Refuse saved tag filter and group names that the address book does not have."""
    for names, known, what, name in (
        (
            request.savedfilters,
            SAVED_TAG_FILTERS,
            "saved tag filter",
            "toaddressbooksavedtagfilters",
        ),
        (request.groups, GROUPS, "group", "toaddressbookgroups"),
    ):
        unknown = [n for n in names if n not in known]
        if unknown:
            shown = ", ".join(repr(n) for n in unknown)
            raise BadRequest(f"{request.label(name)}: unknown {what} {shown}.")


def _matching(tag_filter: TagFilter) -> list[Contact]:
    return [contact for contact in CONTACTS if tag_filter.matches(contact.tags)]


def _collect(
    numbers: Iterable[str],
    contacts: Iterable[Contact],
    filters: Iterable[TagFilter],
    groups: Iterable[str],
) -> dict[str, Recipient]:
    """Recipients keyed by phone number; a number of a contact becomes that contact."""
    found: dict[str, Recipient] = {}
    for number in numbers:
        contact = _BY_PHONE.get(number)
        found[number] = Recipient.of(contact) if contact else Recipient(number, "", None, {})
    everyone = [*contacts]
    for tag_filter in filters:
        everyone.extend(_matching(tag_filter))
    for group in groups:
        everyone.extend(_BY_ID[contact_id] for contact_id in GROUPS[group])
    found.update((contact.phone, Recipient.of(contact)) for contact in everyone)
    return found


def _saved_filters(names: Iterable[str]) -> list[TagFilter]:
    return [TagFilter.parse(SAVED_TAG_FILTERS[name]) for name in names]


def _resolve_gmm(request: StartRequest, saved: GmmRecipients) -> Resolution:
    old = _collect(
        saved.numbers,
        (_BY_ID[contact_id] for contact_id in saved.contact_ids),
        [*map(TagFilter.parse, saved.tag_filters), *_saved_filters(saved.saved_filters)],
        saved.groups,
    )
    new_filters = _saved_filters(request.savedfilters)
    if request.tofilter is not None:
        new_filters.append(request.tofilter)
    new = _collect(request.tonumbers, (), new_filters, request.groups)
    has_new = bool(request.tonumbers or new_filters or request.groups)
    # 2.2.2: tokeep adds the to-parameters to the saved recipients, the default replaces them;
    # without any to-parameter the saved recipients are used.
    found = ({**old, **new} if request.tokeep else new) if has_new else old
    # 2.2.2: the exclude parameters apply to saved and new recipients alike.
    for number in request.excludenumbers:
        found.pop(number, None)
    if request.excludefilter is not None:
        found = {p: r for p, r in found.items() if not request.excludefilter.matches(r.tags)}
    recipients = tuple(found[phone] for phone in sorted(found))
    goal = request.responsegoal or saved.response_goal
    count = goal if goal is not None else min(DEFAULT_RESPONDERS, len(recipients))
    return Resolution(recipients, (AssignGoal(recipients, count),), goal)


def _resolve_gma(request: StartRequest, job: SavedJob, saved: GmaSelection) -> Resolution:
    if request.tofilter is not None and request.responsegoal is not None:
        # 2.2.2: the first part selects, the rest replaces the global filter of the settings;
        # the saved job's filters and goals are ignored.
        first, *rest = request.tofilter.parts
        global_filter = TagFilter(rest) if rest else None
        pool = tuple(
            Recipient.of(c)
            for c in CONTACTS
            if first.matches(c.tags) and (global_filter is None or global_filter.matches(c.tags))
        )
        return Resolution(pool, (AssignGoal(pool, request.responsegoal),), request.responsegoal)
    settings_filter = GMA_GLOBAL_FILTERS.get(job.type)
    global_filter = TagFilter.parse(settings_filter) if settings_filter else None
    goals = []
    for value, count in saved.goals:
        pool = tuple(
            Recipient.of(c)
            for c in CONTACTS
            if value in c.tags.get(saved.tag_type, ())
            and (global_filter is None or global_filter.matches(c.tags))
        )
        goals.append(AssignGoal(pool, count))
    found = {r.phone: r for goal in goals for r in goal.pool}
    recipients = tuple(found[phone] for phone in sorted(found))
    return Resolution(recipients, tuple(goals), sum(count for _, count in saved.goals))


def resolve(request: StartRequest, job: SavedJob) -> Resolution:
    """The recipients of this start, resolved now from the address book (F11)."""
    if isinstance(job.recipients, GmmRecipients):
        return _resolve_gmm(request, job.recipients)
    return _resolve_gma(request, job, job.recipients)
