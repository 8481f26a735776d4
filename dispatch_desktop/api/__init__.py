"""The Dispatch API client library: no Qt, usable from scripts and kiosks.

The names exported here are a product promise; keep them stable. ``DispatchClient`` is loaded
on first use, so code that needs only the models (the desktop app at start-up) does not pay
for importing ``requests``.
"""

from typing import TYPE_CHECKING, Any

from dispatch_desktop.api.errors import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    JobNotStarted,
    MalformedAnswer,
    OutcomeUnknown,
    RequestRejected,
    ServerTooSlow,
    StartedUnverifiable,
    ValidationError,
)
from dispatch_desktop.api.jobtypes import JobTypeMapping
from dispatch_desktop.api.models import (
    DEFAULT_SERVER_URL,
    AuthMethod,
    Credentials,
    GenericType,
    SavedJob,
    StartJobRequest,
    StartResult,
)
from dispatch_desktop.api.tagfilter import TagFilter, TagFilterPart

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient


def __getattr__(name: str) -> Any:
    if name == "DispatchClient":
        from dispatch_desktop.api.client import DispatchClient

        return DispatchClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_SERVER_URL",
    "AuthMethod",
    "AuthenticationError",
    "ConnectionFailed",
    "Credentials",
    "DispatchClient",
    "DispatchError",
    "GenericType",
    "JobNotStarted",
    "JobTypeMapping",
    "MalformedAnswer",
    "OutcomeUnknown",
    "RequestRejected",
    "SavedJob",
    "ServerTooSlow",
    "StartJobRequest",
    "StartResult",
    "StartedUnverifiable",
    "TagFilter",
    "TagFilterPart",
    "ValidationError",
]
