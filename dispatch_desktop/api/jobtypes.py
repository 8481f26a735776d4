"""Which generic type (GMM/GMA) a concrete saved-job type derives from (G2).

The reference never says; this mapping holds sensible defaults and the user's overrides.
A type it cannot place is "rules unknown" (``None``): every field stays enabled and the
server's 400 is shown verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_desktop.api.models import GenericType

DEFAULT_GENERIC_TYPES: dict[str, GenericType] = {
    "GenericMonitoredMessage": GenericType.GMM,
    "MonitoredMessage": GenericType.GMM,
    "GenericMultiAssign": GenericType.GMA,
    "MultiAssign": GenericType.GMA,
    "QuickAssign": GenericType.GMA,
    "ShiftAssign": GenericType.GMA,
    "GroundHandling": GenericType.GMA,
}

# Naming conventions seen in the reference: *Assign pages are wizards (GMA), *MonitoredMessage
# pages are single forms (GMM). Explicit entries and user overrides win over these.
_SUFFIX_RULES: tuple[tuple[str, GenericType], ...] = (
    ("MonitoredMessage", GenericType.GMM),
    ("Assign", GenericType.GMA),
)


class JobTypeMapping:
    """Job type -> generic type, defaults plus user overrides (an override of ``None`` makes
    a type explicitly unknown)."""

    def __init__(self, overrides: Mapping[str, GenericType | None] | None = None) -> None:
        self._overrides: dict[str, GenericType | None] = dict(overrides or {})

    @property
    def overrides(self) -> dict[str, GenericType | None]:
        """A copy of the user's overrides."""
        return dict(self._overrides)

    def generic_type_of(self, job_type: str) -> GenericType | None:
        """The generic type of ``job_type``, or ``None`` when it is unknown."""
        if job_type in self._overrides:
            return self._overrides[job_type]
        if job_type in DEFAULT_GENERIC_TYPES:
            return DEFAULT_GENERIC_TYPES[job_type]
        for suffix, generic in _SUFFIX_RULES:
            if job_type.endswith(suffix):
                return generic
        return None
