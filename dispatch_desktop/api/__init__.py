"""The Dispatch API client library: no Qt, usable from scripts and kiosks.

The names exported here are a product promise; keep them stable. ``DispatchClient`` and the
tag filter types are loaded on first use, so code that needs only the models (the desktop app
at start-up) does not pay for importing ``requests`` or compiling the tag filter parser.
"""

from importlib import import_module
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

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient
    from dispatch_desktop.api.tagfilter import TagFilter, TagFilterPart

_LOADED_ON_FIRST_USE = {
    "DispatchClient": "dispatch_desktop.api.client",
    "TagFilter": "dispatch_desktop.api.tagfilter",
    "TagFilterPart": "dispatch_desktop.api.tagfilter",
}


def __getattr__(name: str) -> Any:
    home = _LOADED_ON_FIRST_USE.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)


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
