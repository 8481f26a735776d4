"""Small pieces every window shares: titles, the demo banner, error sentences, and how text
from outside (the server, a saved job, the journal, a callback) is shown: as plain text."""

from __future__ import annotations

import html
import re
import unicodedata
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

from dispatch_desktop.api import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    OutcomeUnknown,
    RequestRejected,
    StartedUnverifiable,
    ValidationError,
)

# The one formatter of every translated text; it needs no Qt, so the library uses it too.
from dispatch_desktop.translation_marks import Phrase
from dispatch_desktop.translation_marks import fill as fill
from dispatch_desktop.ui import colors

APP_NAME = "Dispatch Desktop"
DEMO_TAG = "DEMO"

# Invisible characters that reorder the text after them (bidirectional embeddings, overrides
# and isolates): a job name carrying one could make a server address or an id read otherwise.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
LINE_BREAK_MARK = " \u23ce "
"""What stands for a line break in text shown on one line (a heading, the status bar)."""
ELLIPSIS = "\u2026"
HEADING_NAME_LIMIT = 80
"""Characters of a name in a heading: a long name must not push what follows out of sight."""


PLURAL = "plural"
"""The fourth argument of every :func:`translate` call that counts (``%n``)."""


def translate(
    context: str,
    text: str,
    disambiguation: str | None = None,
    plural: str | None = None,
    n: int = -1,
) -> str:
    """The translation of ``text`` in ``context``. Call it with a literal context and text:
    ``pyside6-lupdate`` reads the calls from the source (docs/translations.md). A text that
    counts is written ``translate(context, "%n job(s)", None, PLURAL, count)``: ``%n``
    becomes ``count`` in the language's plural form. The marker is there for lupdate, which
    takes a name in the fourth place for the old "encoding" argument and reads the count
    from the fifth; a count in the fourth place would not be extracted as a plural."""
    if not plural:
        return QCoreApplication.translate(context, text, disambiguation)
    translated = QCoreApplication.translate(context, text, disambiguation, n)
    if translated != text.replace("%n", str(n)):
        return translated
    # Not translated (English is the source language; or no translation is installed):
    # "(s)" makes the English plural, so English needs no translation file and reads right
    # even before one is installed.
    return text.replace("(s)", "" if n == 1 else "s").replace("%n", str(n))


def library_text(text: str) -> str:
    """A sentence of a module without Qt (the library, the form's rules, the launcher), as
    the user reads it: translated when the module marked it for translation (context
    "Library", dispatch_desktop/translation_marks.py), else as it is. A :class:`Phrase` is
    translated with its values: those that are phrases too, the others as they are."""
    if isinstance(text, Phrase):
        return fill(library_text(text.rule), *map(library_value, text.values))
    if "\0" in text:  # Qt looks a text up as a C string: this one cannot be a marked text
        return text
    return translate("Library", text)


def library_value(value: str) -> str:
    """A value of a library sentence as the user reads it: a :class:`Phrase` translated, any
    other (a name, an address, the server's words) as it is."""
    return library_text(value) if isinstance(value, Phrase) else value


def window_title(base: str, demo: bool) -> str:
    """A window title; in demo mode it says so first, so a drill is never taken for real."""
    title = f"{base} — {APP_NAME}" if base != APP_NAME else APP_NAME
    return f"[{DEMO_TAG}] {title}" if demo else title


def error_sentence(error: BaseException) -> str:
    """The sentence a user reads for a library error (never a traceback), in the user's
    language as far as the library marked it or kept its parts (docs/translations.md)."""
    if isinstance(error, ValidationError):
        return validation_sentence(error)
    if isinstance(error, RequestRejected):
        detail = error.server_text.strip() or translate("Common", "no explanation given")
        return fill(
            translate("Common", "The server rejected the request (HTTP %1): %2"),
            error.status,
            detail,
        )
    if isinstance(error, OutcomeUnknown):
        return fill(
            translate(
                "Common",
                "The outcome is unknown: the start request may have reached the server, but "
                "no complete answer came back (%1). The job may have started; check the "
                "Dispatch dashboard before trying again.",
            ),
            library_value(error.reason),
        )
    if isinstance(error, StartedUnverifiable):
        return fill(
            translate(
                "Common",
                "The server reported the job as started, but the runtime id it gave (%1) is "
                "not a valid id, so the job cannot be followed here. Messages are on their "
                "way; check the Dispatch dashboard for this job.",
            ),
            library_value(error.runtime_id_text),
        )
    if isinstance(error, DispatchError) and error.rule is not None:
        return library_text(Phrase(error.rule, *error.values))
    if error.args and isinstance(error.args[0], Phrase):  # the keyring's, the job monitor's
        return library_text(error.args[0])
    if isinstance(error, AuthenticationError | ConnectionFailed):
        return library_text(str(error))
    if isinstance(error, DispatchError):
        return fill(translate("Common", "The server's answer could not be understood: %1"), error)
    return fill(
        translate("Common", "An unexpected error occurred (%1); details are in the log file."),
        type(error).__name__,
    )


def validation_sentence(error: ValidationError) -> str:
    """Input the library refused, in words ("<field>: <rule>." or a sentence of its own),
    translated when the library kept the parts (validation.py, tagfilter.py), else its
    sentence as far as it is marked."""
    if error.rule is None:
        return library_text(str(error))
    rule = library_text(Phrase(error.rule, *error.values))
    if error.label is not None:
        rule = fill(translate("Common", "%1: %2"), library_text(error.label), rule)
    return rule if rule.endswith((".", "?", "!")) else rule + "."


def plain(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    """Text from outside the app (the server, a saved job, the journal, a callback) as it is
    shown: without the invisible characters that reorder text and without other control
    characters; line breaks kept, or on ``one_line`` marked with ⏎; at most ``limit``
    characters, the cut marked with …. Show it in a plain-text widget (:class:`PlainLabel`)
    or escaped (:func:`escaped`), never as rich text."""
    value = "" if text is None else str(text)
    value = _LINE_BREAK.sub(LINE_BREAK_MARK if one_line else "\n", value)
    value = "".join(_shown_char(char) for char in value)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + ELLIPSIS
    return value


def _shown_char(char: str) -> str:
    if char in "\n\t":
        return char if char == "\n" else " "
    if char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
        return ""
    return char


def escaped(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    """:func:`plain` text made safe inside rich text (HTML): every character shows as itself."""
    return html.escape(plain(text, one_line=one_line, limit=limit))


def tooltip(text: object) -> str:
    """A tooltip that shows ``text`` literally. Qt renders a tooltip as rich text whenever it
    looks like HTML (and a job name can), so the text is always escaped inside rich text."""
    shown = escaped(text)
    return f"<p style='white-space:pre-wrap'>{shown}</p>" if shown else ""


def fit_id_field(field: QLineEdit) -> None:
    """Make ``field`` wide enough for any 64-bit id, sign included: a cut-off id reads as
    another id (F1)."""
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance("-" + "9" * 19) + 16)


class PlainLabel(QLabel):
    """A label that shows its text literally, as :func:`plain` makes it. A QLabel renders
    anything that looks like HTML as rich text, and the texts here hold names and messages
    from outside."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(plain(text))


def demo_banner(parent: QWidget) -> QLabel:
    """The banner every window shows in demo mode, so a drill is never taken for real."""
    banner = QLabel(
        translate(
            "Common",
            "DEMO MODE — connected to the built-in demo server. No real messages are sent.",
        ),
        parent,
    )
    banner.setAccessibleName(translate("Common", "Demo mode"))
    banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
    banner.setStyleSheet(
        f"{colors.DEMO_BANNER.css()} font-weight: bold; padding: 6px; border-radius: 3px;"
    )
    return banner


class HatchedBanner(QLabel):
    """The EXERCISE banner: black text framed by diagonal yellow and black stripes, the look
    of a barrier, so an exercise is never taken for a real callout (nor a real one for a
    drill). The text sits on a white plate, which keeps its contrast (AA)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMargin(14)
        self.setStyleSheet(f"color: {colors.EXERCISE_PLATE.text}; font-weight: bold;")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        yellow, black = colors.EXERCISE_STRIPES
        painter.fillRect(self.rect(), QColor(yellow))
        painter.setPen(QPen(QColor(black), _STRIPE / 2))
        height = self.height()
        for x in range(-height, self.width() + height, _STRIPE):
            painter.drawLine(x, height, x + height, 0)
        painter.fillRect(
            self.rect().adjusted(8, 8, -8, -8), QColor(colors.EXERCISE_PLATE.background)
        )
        painter.end()
        super().paintEvent(event)


_STRIPE = 16
"""Pixels from one stripe of the exercise banner to the next."""


def exercise_banner(parent: QWidget | None = None) -> HatchedBanner:
    """The banner of every place an exercise is shown: the form, the confirmation, the
    outcome and the monitor."""
    banner = HatchedBanner(
        translate("Common", "EXERCISE — messages are sent for real, marked as an exercise."), parent
    )
    banner.setAccessibleName(translate("Common", "Exercise"))
    return banner


def chain_tabs(root: QWidget) -> None:
    """Make Tab and Shift+Tab go through ``root`` in reading order: top to bottom, each row
    left to right, a splitter's and a tab widget's parts in turn. Qt's own order is the
    order the widgets were made in, and a part built later (the start-job form) would come
    last."""
    stops = [w for w in reading_order(root) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    for first, second in pairwise(stops):
        QWidget.setTabOrder(first, second)


def reading_order(root: QWidget) -> list[QWidget]:
    """``root`` and the widgets inside it, in the order their layouts place them."""
    order = [root]
    for child in _placed_children(root):
        order += reading_order(child)
    return order


def _placed_children(widget: QWidget) -> list[QWidget]:
    if isinstance(widget, QAbstractSpinBox | QComboBox | QAbstractItemView):
        return []  # one stop each: their inner parts follow them by themselves
    if isinstance(widget, QSplitter):
        return [widget.widget(index) for index in range(widget.count())]
    if isinstance(widget, QTabWidget):
        return [widget.tabBar(), *(widget.widget(index) for index in range(widget.count()))]
    if isinstance(widget, QScrollArea):
        inner = widget.widget()
        return [] if inner is None else [inner]
    layout = widget.layout()
    return [] if layout is None else _layout_widgets(layout)


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found += _layout_widgets(item.layout())
    return found
