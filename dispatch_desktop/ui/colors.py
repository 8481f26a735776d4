"""Every colour the app sets, in one place, for a light and for a dark desktop.

Two kinds of colour live here:

- *Signals* carry their own background (the DEMO banner, the EXERCISE stripes, the
  confirmation's heading, an exercise's cell in a table, the tray's count): they look the same
  on every desktop, so a drill is never taken for live, nor live for a drill.
- *Accents* sit on the desktop's own colours (an error under a field, a launch still sending in
  History, the outcome panel): they are chosen per scheme, light or dark, from the palette the
  widget is drawn with.

Each text colour has at least the contrast WCAG AA asks of normal text (4.5:1) on its
background in both schemes; :func:`text_pairs` lists every pair for the test that checks them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

AA_CONTRAST = 4.5
"""The least contrast ratio of normal text (WCAG 2, level AA)."""


class Scheme(enum.Enum):
    """The desktop's colour scheme, as the app draws it."""

    LIGHT = "light"
    DARK = "dark"


# A palette whose window colour is this clearly light or dark decides by itself; one in
# between (a grey theme) follows what the desktop says its scheme is.
_CLEARLY_DARK = 0.4
_CLEARLY_LIGHT = 0.6


def scheme(palette: QPalette | None = None) -> Scheme:
    """The scheme of ``palette`` (default: the application's): by its window colour's
    lightness, and for a grey in between, by the desktop's scheme (``QStyleHints``)."""
    if palette is None:
        palette = QGuiApplication.palette()
    lightness = palette.color(QPalette.ColorRole.Window).lightnessF()
    if lightness < _CLEARLY_DARK:
        return Scheme.DARK
    if lightness > _CLEARLY_LIGHT:
        return Scheme.LIGHT
    desktop = QGuiApplication.styleHints().colorScheme()
    dark = desktop == Qt.ColorScheme.Dark if desktop != Qt.ColorScheme.Unknown else lightness < 0.5
    return Scheme.DARK if dark else Scheme.LIGHT


@dataclass(frozen=True)
class Surface:
    """A text colour on a background, with the border that frames it (if any)."""

    text: str
    background: str
    border: str = ""

    def css(self) -> str:
        """The colours as style-sheet declarations."""
        css = f"color: {self.text}; background: {self.background};"
        return f"{css} border: 2px solid {self.border};" if self.border else css


# -- signals: the same on every desktop ---------------------------------------------------------

DEMO_BANNER = Surface("#000000", "#ffd54f")
EXERCISE_STRIPES = ("#ffd600", "#212121")
"""The hatched EXERCISE banner's stripes: the yellow and black of a barrier."""
EXERCISE_PLATE = Surface("#000000", "#ffffff")
"""The plate the EXERCISE banner's text sits on, inside its stripes."""
EXERCISE_CELL = Surface("#000000", "#ffd600")
"""An exercise's mode cell in History and its row marker in the monitor."""
CONFIRMATION: dict[str, Surface] = {
    "live": Surface("#ffffff", "#b71c1c"),
    "demo": Surface("#000000", "#ffd54f"),
    "exercise": Surface("#000000", "#ffd600"),
    "confirm": Surface("#ffffff", "#c62828"),
    "confirm disabled": Surface("#424242", "#e0e0e0"),
    "warning": Surface("#000000", "#fff3e0", "#e65100"),
}
"""The confirmation's heading by launch mode, its confirm button and its warnings."""
TRAY_ACTIVE = Surface("#ffffff", "#1565c0")
"""The tray icon with a count of jobs being answered."""
TRAY_IDLE = Surface("#ffffff", "#757575")


# -- accents: per scheme -------------------------------------------------------------------------


class Accent(enum.Enum):
    """A text colour drawn on the desktop's own window or list background."""

    ERROR = "error"
    """A field's error, a sign-in failure, a settings problem, an outcome to check in History."""
    HINT = "hint"
    """A tag filter's hint: not wrong, worth a look."""
    SENDING = "sending"
    """A launch in History whose start call runs."""


_ACCENTS: dict[Scheme, dict[Accent, str]] = {
    Scheme.LIGHT: {Accent.ERROR: "#c62828", Accent.HINT: "#6d4c00", Accent.SENDING: "#0d47a1"},
    Scheme.DARK: {Accent.ERROR: "#ffb4a9", Accent.HINT: "#ffd180", Accent.SENDING: "#90caf9"},
}
_INVALID_BORDER = {Scheme.LIGHT: "#c62828", Scheme.DARK: "#ef5350"}
# The backgrounds an accent can be drawn on: a window, a list, a list's alternate rows.
_ACCENT_BACKGROUNDS = (
    QPalette.ColorRole.Window,
    QPalette.ColorRole.Base,
    QPalette.ColorRole.AlternateBase,
)


def accent(kind: Accent, palette: QPalette | None = None) -> QColor:
    """The colour of ``kind`` for the scheme of ``palette`` (default: the application's)."""
    return QColor(_ACCENTS[scheme(palette)][kind])


def accent_css(kind: Accent, palette: QPalette | None = None) -> str:
    """``color: …;`` for a style sheet."""
    return f"color: {_ACCENTS[scheme(palette)][kind]};"


def invalid_border(palette: QPalette | None = None) -> str:
    """The border of a field whose text is invalid."""
    return _INVALID_BORDER[scheme(palette)]


class Stage(enum.Enum):
    """What the outcome panel shows; its colours follow."""

    COUNTDOWN = "countdown"
    SENDING = "sending"
    STARTED = "started"
    NOT_STARTED = "not started"
    UNKNOWN = "unknown"
    STARTED_UNVERIFIABLE = "started unverifiable"
    CANCELLED = "cancelled"


_STAGES: dict[Scheme, dict[Stage, Surface]] = {
    Scheme.LIGHT: {
        Stage.COUNTDOWN: Surface("#000000", "#fff8e1", "#ef6c00"),
        Stage.SENDING: Surface("#000000", "#e3f2fd", "#1565c0"),
        Stage.STARTED: Surface("#000000", "#e8f5e9", "#2e7d32"),
        Stage.NOT_STARTED: Surface("#000000", "#fff3e0", "#ef6c00"),
        Stage.UNKNOWN: Surface("#000000", "#ffebee", "#c62828"),
        Stage.STARTED_UNVERIFIABLE: Surface("#000000", "#fff3e0", "#2e7d32"),
        Stage.CANCELLED: Surface("#000000", "#eceff1", "#546e7a"),
    },
    Scheme.DARK: {
        Stage.COUNTDOWN: Surface("#ffffff", "#4a3800", "#ffa726"),
        Stage.SENDING: Surface("#ffffff", "#0d2b4d", "#64b5f6"),
        Stage.STARTED: Surface("#ffffff", "#1b3d20", "#66bb6a"),
        Stage.NOT_STARTED: Surface("#ffffff", "#4a2c00", "#ffa726"),
        Stage.UNKNOWN: Surface("#ffffff", "#4d1414", "#ef5350"),
        Stage.STARTED_UNVERIFIABLE: Surface("#ffffff", "#4a2c00", "#66bb6a"),
        Stage.CANCELLED: Surface("#ffffff", "#2f3a40", "#90a4ae"),
    },
}


def stage_surface(stage: Stage, palette: QPalette | None = None) -> Surface:
    """The outcome panel's colours at ``stage`` for the scheme of ``palette``."""
    return _STAGES[scheme(palette)][stage]


class _SchemeFollower(QObject):
    """Lives as long as its widget: the connection ends with it."""

    def __init__(self, widget: QObject, apply: Callable[[], None]) -> None:
        super().__init__(widget)
        self._apply = apply
        # The application's signal, not the widgets' ApplicationPaletteChange event: Qt does
        # not send that event to every widget (not to a window, nor to one styled by a style
        # sheet), and a filter on the application would see every event of the app.
        QGuiApplication.instance().paletteChanged.connect(self.restyle)

    @Slot()
    def restyle(self) -> None:
        self._apply()


def follow_scheme(widget: QObject, apply: Callable[[], None]) -> None:
    """Run ``apply()`` (which sets ``widget``'s colours for the application's palette) now and
    again whenever that palette changes: the desktop switched between light and dark while
    the app runs."""
    apply()
    _SchemeFollower(widget, apply)


def show_as_error(label: QWidget) -> None:
    """Draw ``label``'s text in the error accent of the desktop's scheme, now and after a
    switch between light and dark."""
    follow_scheme(label, lambda: label.setStyleSheet(accent_css(Accent.ERROR)))


# -- contrast ------------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(text: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_pairs(palette: QPalette) -> dict[str, tuple[str, str]]:
    """Every (text, background) pair the app draws under ``palette``, by a name that says
    where: the signals, the outcome panel's stages and each accent on each background the
    palette gives it."""
    pairs = {"demo banner": (DEMO_BANNER.text, DEMO_BANNER.background)}
    pairs["exercise banner"] = (EXERCISE_PLATE.text, EXERCISE_PLATE.background)
    pairs["exercise cell"] = (EXERCISE_CELL.text, EXERCISE_CELL.background)
    pairs["tray active"] = (TRAY_ACTIVE.text, TRAY_ACTIVE.background)
    pairs["tray idle"] = (TRAY_IDLE.text, TRAY_IDLE.background)
    for name, surface in CONFIRMATION.items():
        pairs[f"confirmation {name}"] = (surface.text, surface.background)
    for stage in Stage:
        surface = stage_surface(stage, palette)
        pairs[f"outcome {stage.value}"] = (surface.text, surface.background)
    for kind in Accent:
        colour = accent(kind, palette).name()
        for role in _ACCENT_BACKGROUNDS:
            pairs[f"{kind.value} on {role.name}"] = (colour, palette.color(role).name())
    return pairs
