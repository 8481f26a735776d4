"""Plain data types of the Dispatch API.

Ids are Python ``int`` end to end (F1): saved-job and runtime ids exceed 2**53 and any trip
through a float silently changes them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations here: the app's start-up does not wait for the parser
    from dispatch_desktop.api.tagfilter import TagFilter

DEFAULT_SERVER_URL = "https://secure.lekab.com/dispatch/api"


class AuthMethod(enum.Enum):
    """How credentials travel (reference "Different authentication methods", F6)."""

    FIELDS = "fields"
    """POST body ``username``/``password``, GET ``U``/``P``."""
    BASIC = "basic"
    """``Authorization: Basic`` with Base64 of UTF-8 ``user:pass``."""
    LEKAB_HEADERS = "lekab-headers"
    """``X-Lekab-Userid``/``X-Lekab-Password``, each Base64 of UTF-8."""
    API_KEY_FIELD = "api-key-field"
    """POST body ``apikey``, GET ``key``."""
    API_KEY_HEADER = "api-key-header"
    """``X-API-Key`` header."""

    @property
    def uses_api_key(self) -> bool:
        """True for the two API-key methods."""
        return self in (AuthMethod.API_KEY_FIELD, AuthMethod.API_KEY_HEADER)


class GenericType(enum.Enum):
    """The two generic job types whose parameter rules differ (reference 2.2.2, F7)."""

    GMM = "GMM"
    """GenericMonitoredMessage."""
    GMA = "GMA"
    """GenericMultiAssign."""

    @property
    def long_name(self) -> str:
        """The reference's full name of the generic type."""
        return {"GMM": "GenericMonitoredMessage", "GMA": "GenericMultiAssign"}[self.value]


@dataclass(frozen=True)
class Credentials:
    """A username and password, or an API key. Secrets never appear in ``repr``."""

    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        shown = []
        if self.username is not None:
            shown.append(f"username={self.username!r}")
        if self.password is not None:
            shown.append("password=<hidden>")
        if self.api_key is not None:
            shown.append("api_key=<hidden>")
        return f"Credentials({', '.join(shown)})"


@dataclass(frozen=True)
class SavedJob:
    """One entry of /listsavedjobs (reference 1.2.3)."""

    id: int
    name: str
    type: str


@dataclass(frozen=True)
class StartResult:
    """The answer of /startsavedjob (reference 2.2.4)."""

    result: str
    runtimeid: int | None
    jobname: str
    errormessage: str

    @property
    def ok(self) -> bool:
        """True when the server reports the job as started (F4: a 200 alone is not success)."""
        return self.result == "OK"


@dataclass
class StartJobRequest:
    """Parameters of /startsavedjob; field names are the POST keys of reference 2.2.1.

    ``None`` means "not set": it is not sent, and neither is an empty list.
    """

    jobid: int
    jobname: str | None = None
    message: str | None = None
    assignedmessage: str | None = None
    tonumbers: list[str] | None = None
    toaddressbookcustomtagfilter: TagFilter | str | None = None
    toaddressbooktagfilterjson: TagFilter | list[dict[str, Any]] | None = None
    toaddressbooksavedtagfilters: list[str] | None = None
    toaddressbookgroups: list[str] | None = None
    excludenumbers: list[str] | None = None
    excludecustomtagfilter: TagFilter | str | None = None
    excludetagfilterjson: TagFilter | list[dict[str, Any]] | None = None
    tokeep: bool | None = None
    responsegoal: int | None = None
    scheduledstart: datetime | None = None
