"""The Dispatch API client library: no Qt, usable from scripts and kiosks.

The names exported here are a product promise; keep them stable.
"""

from dispatch_desktop.api.client import DEFAULT_SERVER_URL, DispatchClient
from dispatch_desktop.api.errors import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    JobNotStarted,
    OutcomeUnknown,
    RequestRejected,
    ValidationError,
)
from dispatch_desktop.api.jobtypes import JobTypeMapping
from dispatch_desktop.api.models import (
    AuthMethod,
    Credentials,
    GenericType,
    SavedJob,
    StartJobRequest,
    StartResult,
)
from dispatch_desktop.api.tagfilter import TagFilter, TagFilterPart

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
    "OutcomeUnknown",
    "RequestRejected",
    "SavedJob",
    "StartJobRequest",
    "StartResult",
    "TagFilter",
    "TagFilterPart",
    "ValidationError",
]
