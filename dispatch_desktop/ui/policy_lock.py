"""How a value the administrator's policy sets looks in a dialog: the widget greyed (disabled)
and "set by your administrator" as its tooltip and accessible description, so a screen
reader says it too (policy.py, docs/policy.md)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from dispatch_desktop.ui.common import fill, translate

LOCKED_PROPERTY = "lockedByPolicy"
"""A dynamic property on each locked widget: code that enables widgets again asks for it."""


def locked_text() -> str:
    """The words beside every locked value."""
    return translate("PolicyLock", "Set by your administrator")


def lock(widgets: Iterable[QWidget]) -> None:
    """Grey ``widgets`` and say that the administrator set them; they stay so."""
    for widget in widgets:
        widget.setEnabled(False)
        widget.setProperty(LOCKED_PROPERTY, True)
        widget.setToolTip(locked_text())
        widget.setAccessibleDescription(locked_text())


def is_locked(widget: QWidget) -> bool:
    """Whether :func:`lock` locked ``widget``."""
    return bool(widget.property(LOCKED_PROPERTY))


def enable_unless_locked(widget: QWidget, enabled: bool) -> None:
    """``widget.setEnabled(enabled)``, except that a locked widget stays disabled."""
    widget.setEnabled(enabled and not is_locked(widget))


def refused_job_sentence(name: str) -> str:
    """Why a saved job outside the administrator's allowed jobs does not start."""
    return fill(
        translate(
            "PolicyLock",
            "“%1” is not one of the saved jobs this computer may start (set by your "
            "administrator); nothing was sent.",
        ),
        name,
    )
