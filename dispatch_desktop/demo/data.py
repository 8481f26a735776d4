"""The demo company's data: accounts, address book, saved tag filters, groups and saved jobs.

Everything is generated from a fixed seed, so every run (and every test) sees the same
contacts, numbers and ids. Names deliberately include spaces and commas ("On call",
"Registered Nurse", "Oslo, night shift") because real address books do (reference 2.2.6, F9).
"""

from __future__ import annotations

import base64
import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from dispatch_desktop.api.tagfilter import TagFilter

GenericType = Literal["GMM", "GMA"]

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented, public password of the demo account
#: Signs in, but "cannot read any address books": the server answers 401 (reference 1.2.2, G5).
NO_ADDRESS_BOOK_USERNAME = "noaddressbook"


def _api_key(username: str, secret: str) -> str:
    # Same layout as the reference's example key (decode it: "MLU:" + Base64(username) + ":" +
    # secret), so the key visibly "contains the username" like a Web Portal key.
    user_part = base64.b64encode(username.encode("utf-8")).decode("ascii").rstrip("=")
    return base64.b64encode(f"MLU:{user_part}:{secret}".encode()).decode("ascii").rstrip("=")


#: Fixed API key of the demo account: "TUxVOlpHVnRidzpEZW1vS2V5NFRyYWluaW5n".
DEMO_API_KEY = _api_key(DEMO_USERNAME, "DemoKey4Training")

#: Login accounts and their passwords.
ACCOUNTS: Mapping[str, str] = MappingProxyType(
    {DEMO_USERNAME: DEMO_PASSWORD, NO_ADDRESS_BOOK_USERNAME: DEMO_PASSWORD}
)
#: API keys and the account each belongs to.
API_KEYS: Mapping[str, str] = MappingProxyType({DEMO_API_KEY: DEMO_USERNAME})
#: Accounts that can read the address book; the others get 401 (G5).
ADDRESS_BOOK_READERS = frozenset({DEMO_USERNAME})
#: Id of the "system user" that owns every demo job; callbacks carry it as ``userid`` (3.1).
SYSTEM_USER_ID = 113495

_SEED = 20241104  # the reference's release date; any constant would do
CONTACT_COUNT = 300
#: Contact numbers are +46701000000 ... +46708999999; +46709xxxxxx numbers are never a
#: contact, so tests and training can use them as "non-contact" numbers.
NON_CONTACT_NUMBER = "+46709999001"

_FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sofia", "Mikael", "Ingrid", "Anders",
    "Elin", "Per", "Sara", "Nils", "Emma", "Olav", "Kari", "Henrik", "Mette", "Jens",
    "Aino", "Mikko", "Liisa", "Juha", "Sanna", "Tomas", "Hanna", "Magnus", "Astrid", "Björn",
)  # fmt: skip
_LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsen", "Hansen",
    "Johansen", "Berg", "Haugen", "Nielsen", "Jensen", "Pedersen", "Virtanen", "Korhonen",
    "Mäkinen", "Lindqvist", "Sjöberg", "Holm", "Dahl", "Lund", "Strand", "Ek", "Nyström",
    "Hansson", "Bergström", "Lindberg", "Sandberg", "Åberg",
)  # fmt: skip
_BASES = ("STO", "OSL", "CPH", "HEL", "GOT")
_BASE_WEIGHTS = (35, 25, 15, 12, 13)
_NATIVE_LANGUAGE = {
    "STO": "Swedish",
    "GOT": "Swedish",
    "OSL": "Norwegian",
    "CPH": "Danish",
    "HEL": "Finnish",
}
#: Role -> the departments a person with that role can belong to.
_ROLE_DEPARTMENTS = {
    "Surgeon": ("Surgery",),
    "Registered Nurse": ("Surgery", "Emergency"),
    "Anaesthetist": ("Surgery",),
    "Paramedic": ("Emergency",),
    "Driver": ("Logistics", "Emergency"),
    "Technician": ("Engineering", "Logistics"),
    "Engineer": ("Engineering",),
    "Consultant": ("Engineering", "Administration"),
    "Coordinator": ("Administration",),
}
_ROLE_WEIGHTS = (8, 20, 5, 12, 12, 10, 10, 8, 6)


@dataclass(frozen=True)
class Contact:
    """An address book entry. ``tags`` maps a tag type to its values (a type can have several)."""

    contact_id: int
    name: str
    phone: str
    tags: Mapping[str, frozenset[str]]


def _contact_ids(rng: random.Random, count: int) -> list[int]:
    # 64-bit ids above 2^53 like the reference's (F1, F2); odd, so that no id survives a
    # round trip through a double and a client that loses precision fails visibly.
    ids = []
    current = 519898635249405953
    for _ in range(count):
        current += rng.randrange(2, 2**24, 2)
        ids.append(current)
    return ids


def _tags(rng: random.Random) -> dict[str, frozenset[str]]:
    base = rng.choices(_BASES, _BASE_WEIGHTS)[0]
    role = rng.choices(tuple(_ROLE_DEPARTMENTS), _ROLE_WEIGHTS)[0]
    languages = {_NATIVE_LANGUAGE[base]}
    if base == "HEL" and rng.random() < 0.3:
        languages.add("Swedish")
    if rng.random() < 0.4:
        languages.add("English")
    tags = {
        "Base": {base},
        "Role": {role},
        "Department": {rng.choice(_ROLE_DEPARTMENTS[role])},
        "On call": {"Yes" if rng.random() < 0.35 else "No"},
        "Group": {
            "Management" if rng.random() < 0.05 else rng.choice(("Day shift", "Night shift"))
        },
        "Language": languages,
        "Invited": {
            event
            for event, share in (("Xmas2022", 0.4), ("Midsummer2023", 0.3))
            if rng.random() < share
        },
    }
    return {tagtype: frozenset(values) for tagtype, values in tags.items() if values}


def _build_contacts() -> tuple[Contact, ...]:
    rng = random.Random(_SEED)
    names = rng.sample(list(itertools.product(_FIRST_NAMES, _LAST_NAMES)), CONTACT_COUNT)
    numbers = rng.sample(range(1_000_000, 9_000_000), CONTACT_COUNT)
    return tuple(
        Contact(
            contact_id=contact_id,
            name=f"{first} {last}",
            phone=f"+4670{number:07d}",
            tags=MappingProxyType(_tags(rng)),
        )
        for contact_id, (first, last), number in zip(
            _contact_ids(rng, CONTACT_COUNT), names, numbers, strict=True
        )
    )


#: The demo address book.
CONTACTS: tuple[Contact, ...] = _build_contacts()

#: Saved tag filters of the address book: name -> tag filter string (2.2.6).
SAVED_TAG_FILTERS: Mapping[str, str] = MappingProxyType(
    {
        "Xmas2022": "Invited:Xmas2022",
        "Midsummer2023": "Invited:Midsummer2023",
        "EngineeringConsultants": "Role:Consultant;Department:Engineering",
        "Stockholm on call": "Base:STO;On call:Yes",
        "Oslo on call": "Base:OSL;On call:Yes",
        "Surgical team": "Role:Surgeon|Registered Nurse|Anaesthetist;Department:Surgery",
        "Nordic drivers": "Role:Driver",
        "Finnish speakers": "Language:Finnish",
    }
)


def _members(tag_filter: str, limit: int) -> tuple[int, ...]:
    parsed = TagFilter.parse(tag_filter)
    return tuple(c.contact_id for c in CONTACTS if parsed.matches(c.tags))[:limit]


#: Groups / distribution lists: name -> contact ids. Membership is an explicit list (a
#: snapshot), not a filter. One name contains a comma, to exercise GET list encoding (F5).
GROUPS: Mapping[str, tuple[int, ...]] = MappingProxyType(
    {
        "Oslo, night shift": _members("Base:OSL;Group:Night shift", 12),
        "Management team": _members("Group:Management", 10),
        "Stockholm ambulance crew": _members("Base:STO;Role:Paramedic|Driver", 10),
        "Göteborg R&D": _members("Base:GOT;Department:Engineering", 8),
    }
)


@dataclass(frozen=True)
class GmmRecipients:
    """Saved recipients of a GMM job: any mixture of numbers, contacts, filters and groups."""

    numbers: tuple[str, ...] = ()
    contact_ids: tuple[int, ...] = ()
    tag_filters: tuple[str, ...] = ()
    saved_filters: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    response_goal: int | None = None


@dataclass(frozen=True)
class GmaSelection:
    """Saved selection of a GMA job: one tag type, a response goal per value (2.2.2)."""

    tag_type: str
    goals: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SavedJob:
    """A saved job template as /listsavedjobs shows it, plus what /startsavedjob needs."""

    id: int
    name: str
    type: str
    generic_type: GenericType
    message: str
    recipients: GmmRecipients | GmaSelection
    assigned_message: str = ""


#: Concrete job type -> generic type. The server knows this; clients have to guess (G2).
#: "SurveyMessage" is deliberately a type a client will not know.
GENERIC_TYPES: Mapping[str, GenericType] = MappingProxyType(
    {
        "MonitoredMessage": "GMM",
        "SurveyMessage": "GMM",
        "QuickAssign": "GMA",
        "MultiAssign": "GMA",
        "ShiftAssign": "GMA",
        "GroundHandling": "GMA",
    }
)

#: GMA global tag filter per job type. It lives in the job type's settings, not in the saved
#: job, and is read when the job starts (2.2.2, 2.2.7, F11).
GMA_GLOBAL_FILTERS: Mapping[str, str] = MappingProxyType(
    {
        "QuickAssign": "On call:Yes",
        "MultiAssign": "Department:Surgery",
        "ShiftAssign": "On call:No",
        "GroundHandling": "Base:STO|CPH|OSL",
    }
)


def _job(
    job_id: int,
    name: str,
    job_type: str,
    message: str,
    recipients: GmmRecipients | GmaSelection,
    assigned_message: str = "",
) -> SavedJob:
    return SavedJob(
        job_id, name, job_type, GENERIC_TYPES[job_type], message, recipients, assigned_message
    )


#: The saved jobs. The first three are exactly the reference's example (1.2.2). Every id is
#: odd and above 2^53, so a double cannot hold it (F1).
SAVED_JOBS: tuple[SavedJob, ...] = (
    _job(
        325961493210222597,
        "Alarm",
        "QuickAssign",
        "ALARM: report to the emergency ward. Answer YES if you can come.",
        GmaSelection("Role", (("Surgeon", 1), ("Registered Nurse", 2))),
        "You are assigned: go to the emergency ward now.",
    ),
    _job(
        352872112744058883,
        "Office Party",
        "MonitoredMessage",
        "Welcome to the office party on Friday at 18:00! Reply OK to confirm.",
        GmmRecipients(saved_filters=("Xmas2022",)),
    ),
    _job(
        352872253467898883,
        "Oslo Alert",
        "MonitoredMessage",
        "Alert in Oslo: stand by for instructions. Reply OK when read.",
        GmmRecipients(groups=("Oslo, night shift",), tag_filters=("Base:OSL;On call:Yes",)),
    ),
    _job(
        352872394191634437,
        "Management briefing",
        "MonitoredMessage",
        "Management briefing at 08:00 in room 4. Reply OK when read.",
        GmmRecipients(groups=("Management team",), contact_ids=(CONTACTS[0].contact_id,)),
    ),
    _job(
        352873017846022149,
        "Stockholm readiness check",
        "MonitoredMessage",
        "Readiness check: reply YES if you can be at the Stockholm base within 30 minutes.",
        GmmRecipients(
            saved_filters=("Stockholm on call",), numbers=(NON_CONTACT_NUMBER,), response_goal=3
        ),
    ),
    _job(
        352873165282951173,
        "Surgeon callout",
        "MultiAssign",
        "Extra surgery shift tonight 22-06. Answer YES to take it.",
        GmaSelection("Role", (("Surgeon", 2), ("Anaesthetist", 1))),
        "You have the surgery shift tonight 22-06. Thank you!",
    ),
    _job(
        352873298519642117,
        "Weekend shift cover",
        "ShiftAssign",
        "Can you cover a shift this weekend? Answer YES or NO.",
        GmaSelection("Role", (("Registered Nurse", 3), ("Paramedic", 2))),
        "You cover the weekend shift. Check the roster for times.",
    ),
    _job(
        352873431756333061,
        "Apron crew",
        "GroundHandling",
        "Extra turnaround crew needed at gate 12 in 40 minutes. Answer YES to join.",
        GmaSelection("Role", (("Driver", 2), ("Technician", 2))),
        "You are on the gate 12 turnaround crew.",
    ),
    _job(
        352873564993024005,
        "Staff survey",
        "SurveyMessage",
        "How satisfied are you with the new rota? Reply 1 (poor) to 5 (great).",
        GmmRecipients(tag_filters=("Department:Administration",)),
    ),
)


def tag_vocabulary() -> dict[str, list[str]]:
    """Every tag type of the address book with its sorted values (for completion in the GUI)."""
    vocabulary: dict[str, set[str]] = {}
    for contact in CONTACTS:
        for tagtype, values in contact.tags.items():
            vocabulary.setdefault(tagtype, set()).update(values)
    return {tagtype: sorted(values) for tagtype, values in sorted(vocabulary.items())}


def saved_tag_filter_names() -> list[str]:
    """Names of the saved tag filters, sorted."""
    return sorted(SAVED_TAG_FILTERS)


def group_names() -> list[str]:
    """Names of the groups / distribution lists, sorted."""
    return sorted(GROUPS)
