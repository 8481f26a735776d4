"""Synthetic saved jobs: the demo company at scale (``--jobs N``), so anyone can see and measure
the app with 100,000 saved jobs.

Names combine a place, a unit and a purpose, in English or in Swedish ("Oslo night shift
callout", "Larm akuten Malmö"), as a large organisation's saved jobs read; many repeat, as
copies of a job do. Every type of the demo server occurs, with two it alone knows (as a
customer's own job types are: the desktop cannot place them, G2). Each job is startable on the
demo server: its recipients are tag filters and roles of the demo address book, and a job of
an assignment type (GMA) selects by role. Ids are odd, above every demo job's and far above
2^53 (F1), and generated from a seed: the same count and seed give the same jobs.
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections.abc import Mapping
from types import MappingProxyType

from dispatch_desktop.demo.data import (
    GENERIC_TYPES,
    SAVED_JOBS,
    GenericType,
    GmaSelection,
    GmmRecipients,
    SavedJob,
)

SYNTHETIC_SEED = 20250601
MAX_SYNTHETIC_JOBS = 1_000_000
"""The most a demo server makes up; a million saved jobs is far beyond any real account."""

#: Types only the server knows (its own job types, G2), each with its generic type.
CUSTOM_TYPES: Mapping[str, GenericType] = MappingProxyType(
    {"IncidentBroadcast": "GMM", "Bemanningsförfrågan": "GMA"}
)
SYNTHETIC_TYPES: Mapping[str, GenericType] = MappingProxyType({**GENERIC_TYPES, **CUSTOM_TYPES})
_TYPE_SHARES = {
    "MonitoredMessage": 30,
    "SurveyMessage": 5,
    "IncidentBroadcast": 6,
    "QuickAssign": 18,
    "MultiAssign": 12,
    "ShiftAssign": 14,
    "GroundHandling": 7,
    "Bemanningsförfrågan": 8,
}
_TYPES = tuple(_TYPE_SHARES)
_TYPE_CUMULATIVE = tuple(itertools.accumulate(_TYPE_SHARES.values()))

#: Place -> the demo address book's base of the people there.
_PLACES = {
    "Stockholm": "STO",
    "Uppsala": "STO",
    "Arlanda": "STO",
    "Visby": "STO",
    "Göteborg": "GOT",
    "Borås": "GOT",
    "Oslo": "OSL",
    "Bergen": "OSL",
    "Gardermoen": "OSL",
    "Tromsø": "OSL",
    "Copenhagen": "CPH",
    "Kastrup": "CPH",
    "Aarhus": "CPH",
    "Helsinki": "HEL",
    "Tampere": "HEL",
}
# (English, Swedish) pairs, so a name is in one language throughout.
_UNITS = (
    ("ambulance crew", "ambulansteamet"),
    ("surgery", "kirurgen"),
    ("emergency ward", "akuten"),
    ("night shift", "nattskiftet"),
    ("day shift", "dagskiftet"),
    ("ground crew", "markpersonalen"),
    ("fire station 2", "brandstation 2"),
    ("IT on call", "IT-jouren"),
    ("security", "bevakningen"),
    ("management", "ledningsgruppen"),
    ("nurses", "sjuksköterskorna"),
    ("drivers", "förarna"),
)
_MESSAGE_PURPOSES = (
    ("briefing", "information"),
    ("readiness check", "beredskapskontroll"),
    ("status poll", "statusfråga"),
    ("evacuation", "utrymning"),
    ("power outage", "strömavbrott"),
    ("weather warning", "vädervarning"),
    ("drill", "övning"),
)
_ASSIGN_PURPOSES = (
    ("alarm", "larm"),
    ("callout", "utryckning"),
    ("shift cover", "passbyte"),
    ("extra shift", "extrapass"),
    ("standby", "beredskap"),
)
#: The people an assignment selects, by role: the roles the global filter of each demo type
#: leaves people in (MultiAssign keeps the surgery department only).
_ROLES = {
    "MultiAssign": ("Surgeon", "Registered Nurse", "Anaesthetist"),
    "default": ("Registered Nurse", "Paramedic", "Driver", "Technician", "Engineer"),
}


def _name(rng: random.Random, place: str, purposes: tuple[tuple[str, str], ...]) -> str:
    unit_en, unit_sv = rng.choice(_UNITS)
    purpose_en, purpose_sv = rng.choice(purposes)
    if rng.random() < 0.5:
        name = f"{place} {unit_en} {purpose_en}"
    else:
        name = f"{purpose_sv.capitalize()} {unit_sv} {place}"
    if rng.random() < 0.3:
        name += f" {rng.randrange(2, 40)}"
    return name


def _gmm_recipients(rng: random.Random, base: str) -> GmmRecipients:
    on_call = ";On call:Yes" if rng.random() < 0.4 else ""
    return GmmRecipients(tag_filters=(f"Base:{base}{on_call}",))


def _gma_selection(rng: random.Random, job_type: str) -> GmaSelection:
    roles = _ROLES.get(job_type, _ROLES["default"])
    chosen = rng.sample(roles, rng.randrange(1, 3))
    return GmaSelection("Role", tuple((role, rng.randrange(1, 4)) for role in chosen))


def _job(rng: random.Random, job_id: int) -> SavedJob:
    job_type = rng.choices(_TYPES, cum_weights=_TYPE_CUMULATIVE)[0]
    generic = SYNTHETIC_TYPES[job_type]
    place = rng.choice(tuple(_PLACES))
    if generic == "GMM":
        name = _name(rng, place, _MESSAGE_PURPOSES)
        message = f"{name}: read the instructions from your team leader. Reply OK when read."
        recipients = _gmm_recipients(rng, _PLACES[place])
        return SavedJob(job_id, name, job_type, generic, message, recipients)
    name = _name(rng, place, _ASSIGN_PURPOSES)
    message = f"{name}: answer YES if you can come."
    assigned = f"You are assigned: {name}. Report to your team leader."
    return SavedJob(
        job_id, name, job_type, generic, message, _gma_selection(rng, job_type), assigned
    )


def check_count(count: int) -> None:
    """Raise ValueError unless ``count`` synthetic jobs can be made."""
    if not 0 <= count <= MAX_SYNTHETIC_JOBS:
        raise ValueError(f"The number of synthetic jobs must be 0 to {MAX_SYNTHETIC_JOBS:,}.")


def job_count(text: str) -> int:
    """A number of synthetic jobs from a command line (an ``argparse`` type)."""
    try:
        count = int(text)
        check_count(count)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of jobs from 0 to {MAX_SYNTHETIC_JOBS:,}, got {text!r}"
        ) from None
    return count


def synthetic_jobs(count: int, seed: int = SYNTHETIC_SEED) -> tuple[SavedJob, ...]:
    """``count`` made-up saved jobs (see the module's docstring); the same for the same
    ``count`` and ``seed``, and the first ``n`` of them the same for any larger ``count``."""
    check_count(count)
    rng = random.Random(seed)
    job_id = max(job.id for job in SAVED_JOBS) + 2**20  # odd, as every demo id
    jobs = []
    for _ in range(count):
        job_id += rng.randrange(2, 2**20, 2)
        jobs.append(_job(rng, job_id))
    return tuple(jobs)
