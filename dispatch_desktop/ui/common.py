"""Small pieces every window shares: titles, the demo banner, error sentences."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from dispatch_desktop.api import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    OutcomeUnknown,
    RequestRejected,
    ValidationError,
)

APP_NAME = "Dispatch Desktop"
DEMO_TAG = "DEMO"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a string of the shared context; ``%n`` in it becomes ``n``."""
    return QCoreApplication.translate("DispatchDesktop", text, disambiguation, n)


def count_text(count: int, one: str, many: str) -> str:
    """``one`` or ``many`` by ``count``, with ``%1`` replaced by the count."""
    return (tr(one) if count == 1 else tr(many)).replace("%1", str(count))


def window_title(base: str, demo: bool) -> str:
    """A window title; in demo mode it says so first, so a drill is never taken for real."""
    title = f"{base} — {APP_NAME}" if base != APP_NAME else APP_NAME
    return f"[{DEMO_TAG}] {title}" if demo else title


def error_sentence(error: BaseException) -> str:
    """The sentence a user reads for a library error (never a traceback)."""
    if isinstance(
        error,
        AuthenticationError | ConnectionFailed | OutcomeUnknown | RequestRejected | ValidationError,
    ):
        return str(error)
    if isinstance(error, DispatchError):
        return tr("The server's answer could not be understood: %1").replace("%1", str(error))
    return tr("An unexpected error occurred (%1); details are in the log file.").replace(
        "%1", type(error).__name__
    )


def demo_banner(parent: QWidget) -> QLabel:
    """The banner every window shows in demo mode, so a drill is never taken for real."""
    banner = QLabel(
        tr("DEMO MODE — connected to the built-in demo server. No real messages are sent."),
        parent,
    )
    banner.setAccessibleName(tr("Demo mode"))
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setStyleSheet(
        "background: #ffd54f; color: #000; font-weight: bold; padding: 6px; border-radius: 3px;"
    )
    return banner
