"""Themes: every colour the app sets is readable (WCAG AA, 4.5:1) on a light and on a dark
desktop, and the colours that sit on the desktop's own follow its scheme."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.colors import AA_CONTRAST, Scheme, contrast_ratio, text_pairs
from dispatch_desktop.ui.launch_panel import OutcomePanel
from dispatch_desktop.ui.start_form import StartJobForm
from dispatch_desktop.ui.tagfilter_builder import TagFilterBuilder

Role = QPalette.ColorRole

# A light desktop (Fusion's own colours) and a dark one (the colours of a common dark theme).
LIGHT = {
    Role.Window: "#efefef",
    Role.WindowText: "#000000",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f7f7f7",
    Role.Text: "#000000",
    Role.Button: "#efefef",
    Role.ButtonText: "#000000",
}
DARK = {
    Role.Window: "#353535",
    Role.WindowText: "#ffffff",
    Role.Base: "#2a2a2a",
    Role.AlternateBase: "#424242",
    Role.Text: "#ffffff",
    Role.Button: "#353535",
    Role.ButtonText: "#ffffff",
}
PALETTES = {"light": LIGHT, "dark": DARK}
PARTY = SavedJob(352872112744058883, "Office Party", "MonitoredMessage")


def palette_of(roles: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=sorted(PALETTES))
def desktop(request, qapp: QApplication) -> Iterator[tuple[str, QPalette]]:
    """The application drawn with a light, then a dark palette; the palette put back after."""
    previous = QGuiApplication.palette()
    palette = palette_of(PALETTES[request.param])
    QApplication.setPalette(palette)
    yield request.param, palette
    QApplication.setPalette(previous)


def test_the_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#c0c0c0", "#c0c0c0") == pytest.approx(1.0)
    # Known values: #767676 on white is the lightest grey that passes AA, #777777 fails.
    assert contrast_ratio("#767676", "#ffffff") >= AA_CONTRAST
    assert contrast_ratio("#777777", "#ffffff") < AA_CONTRAST


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_text_and_background_pair_passes_aa_in_light_and_dark(name: str) -> None:
    pairs = text_pairs(palette_of(PALETTES[name]))
    # Each kind of place the app colours is in the list the test walks.
    for where in ("demo banner", "exercise banner", "exercise cell", "tray active"):
        assert where in pairs
    assert {f"outcome {stage.value}" for stage in colors.Stage} <= set(pairs)
    assert {f"confirmation {mode}" for mode in ("live", "demo", "exercise")} <= set(pairs)
    assert {"error on Window", "error on Base", "sending on Base", "hint on Window"} <= set(pairs)
    failing = {
        where: round(contrast_ratio(text, background), 2)
        for where, (text, background) in pairs.items()
        if contrast_ratio(text, background) < AA_CONTRAST
    }
    assert failing == {}


def test_the_scheme_follows_the_palettes_window_colour() -> None:
    assert colors.scheme(palette_of(LIGHT)) is Scheme.LIGHT
    assert colors.scheme(palette_of(DARK)) is Scheme.DARK


def plan_of(mode: LaunchMode = LaunchMode.LIVE) -> LaunchPlan:
    return LaunchPlan(
        PARTY, StartJobRequest(jobid=PARTY.id), GenericType.GMM, "https://x", "a", mode
    )


def panel_colour(panel: OutcomePanel) -> QColor:
    """The colour the panel is painted with, inside its frame."""
    panel.resize(500, 200)
    image = panel.grab().toImage()
    return QColor(image.pixel(6, image.height() // 2))


@pytest.mark.parametrize("kind", [kind for kind in Outcome if kind is not Outcome.PENDING])
def test_the_outcome_panel_matches_the_desktop_and_its_text_reads(
    qtbot, desktop: tuple[str, QPalette], kind: Outcome
) -> None:
    name, palette = desktop
    panel = OutcomePanel()
    qtbot.addWidget(panel)
    panel.show_outcome(LaunchOutcome(kind, "The server said so.", runtimeid=7), plan_of())
    painted = panel_colour(panel)
    # A light panel on a light desktop, a dark one on a dark desktop (today's was light on
    # both: a glaring island on a dark desktop).
    assert (painted.lightnessF() < 0.5) is (name == "dark")
    surface = colors.stage_surface(panel.stage, palette)
    assert painted.name() == surface.background
    assert f"color: {surface.text}" in panel.styleSheet()
    assert contrast_ratio(surface.text, painted.name()) >= AA_CONTRAST


def test_the_countdown_and_the_sending_stage_follow_the_desktop(
    qtbot, desktop: tuple[str, QPalette]
) -> None:
    name, _palette = desktop
    panel = OutcomePanel()
    qtbot.addWidget(panel)
    panel.show_countdown(plan_of(LaunchMode.EXERCISE), 5)
    assert (panel_colour(panel).lightnessF() < 0.5) is (name == "dark")
    panel.show_busy(PARTY.name, time.monotonic(), plan_of())
    assert (panel_colour(panel).lightnessF() < 0.5) is (name == "dark")


def label_colour(label: QLabel) -> str:
    """The text colour a style sheet gives ``label``."""
    style = label.styleSheet()
    return style.split("color:")[1].split(";")[0].strip()


def test_a_fields_error_reads_on_the_desktops_window(qtbot, desktop: tuple[str, QPalette]) -> None:
    _name, palette = desktop
    form = StartJobForm()
    qtbot.addWidget(form)
    form.set_job(PARTY, GenericType.GMM)
    form.tonumbers.setText("not a number")
    error = form._errors["tonumbers"]
    assert error.text()
    background = palette.color(Role.Window).name()
    assert contrast_ratio(label_colour(error), background) >= AA_CONTRAST


def test_the_tag_filters_error_and_hint_read_on_the_desktops_window(
    qtbot, desktop: tuple[str, QPalette]
) -> None:
    _name, palette = desktop
    builder = TagFilterBuilder()
    qtbot.addWidget(builder)
    style = builder.styleSheet()
    background = palette.color(Role.Window).name()
    for role in ("error", "hint"):
        colour = style.split(f'QLabel[role="{role}"] {{ color:')[1].split(";")[0].strip()
        assert contrast_ratio(colour, background) >= AA_CONTRAST


def test_a_switch_to_a_dark_desktop_while_the_app_runs_restyles_what_it_coloured(
    qtbot, qapp: QApplication
) -> None:
    previous = QGuiApplication.palette()
    QApplication.setPalette(palette_of(LIGHT))
    try:
        window = QWidget()  # Qt tells the widgets inside a window of the change
        qtbot.addWidget(window)
        panel = OutcomePanel(window)
        panel.show_outcome(LaunchOutcome(Outcome.UNKNOWN, "No answer."), plan_of())
        form = StartJobForm(window)
        form.set_job(PARTY, GenericType.GMM)
        form.tonumbers.setText("not a number")
        assert panel_colour(panel).lightnessF() > 0.5
        QApplication.setPalette(palette_of(DARK))
        assert panel_colour(panel).lightnessF() < 0.5
        error = label_colour(form._errors["tonumbers"])
        assert contrast_ratio(error, DARK[Role.Window]) >= AA_CONTRAST
    finally:
        QApplication.setPalette(previous)
