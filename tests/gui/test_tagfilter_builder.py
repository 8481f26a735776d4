"""The visual tag-filter builder (reference 2.2.6, F9), driven through its real widgets.

Widgets are found by their accessible names, so these tests also hold the names a screen
reader announces.
"""

from __future__ import annotations

from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from dispatch_desktop.api import TagFilter, ValidationError
from dispatch_desktop.form_rules import UnknownTag
from dispatch_desktop.ui.tagfilter_builder import (
    TagFilterBuilder,
    corrected,
    evaluate_conditions,
    fields_from_filter,
    normalize_vocabulary,
    segment_at,
    spelling_hint,
    split_values,
    text_from_fields,
    vocabulary_values,
)

REFERENCE_EXAMPLE = "Base:STO|OSL|CPH;On call:Yes"  # reference 2.2.6
W = TypeVar("W", bound=QWidget)

# The offscreen platform of the test run warns when it shows a window or a completion popup
# ("does not support propagateSizeHints()", "raise()", "grabbing the keyboard"); these are about
# the platform plugin, not this widget.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support ")
VOCABULARY = {"Base": ["STO", "OSL", "CPH"], "On call": ["Yes", "No"], "Group": ["Management"]}


@pytest.fixture
def builder(qtbot: QtBot) -> TagFilterBuilder:
    widget = TagFilterBuilder(accessible_name="Recipients to include")
    qtbot.addWidget(widget)
    widget.show()
    # Active, so that fields take the focus: QLineEdit talks to its completer only then.
    widget.activateWindow()
    qtbot.waitActive(widget)
    return widget


def named(builder: QWidget, kind: type[W], name: str) -> W:
    """The one visible child of ``kind`` with accessible name ``name``."""
    found = [w for w in builder.findChildren(kind) if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, f"{len(found)} visible {kind.__name__} named {name!r}"
    return found[0]


def names_of(builder: QWidget, kind: type[QWidget]) -> list[str]:
    return [w.accessibleName() for w in builder.findChildren(kind) if w.isVisible()]


def add_condition(qtbot: QtBot, builder: TagFilterBuilder, tagtype: str, values: str) -> int:
    """Click "Add condition" and type into the new row; returns the row's number."""
    qtbot.mouseClick(named(builder, QPushButton, "Add condition"), Qt.MouseButton.LeftButton)
    number = len([n for n in names_of(builder, QLineEdit) if n.startswith("Tag type ")])
    qtbot.keyClicks(named(builder, QLineEdit, f"Tag type {number}"), tagtype)
    qtbot.keyClicks(named(builder, QLineEdit, f"Tag values {number}"), values)
    return number


def toggle_text_mode(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    qtbot.mouseClick(named(builder, QPushButton, "Edit as text"), Qt.MouseButton.LeftButton)


def preview(builder: TagFilterBuilder) -> str:
    return named(builder, QLabel, "Preview of Recipients to include").text()


def visible_errors(builder: QWidget) -> list[str]:
    return [
        label.text()
        for label in builder.findChildren(QLabel)
        if label.property("role") == "error" and label.isVisible()
    ]


# --- Building rows -------------------------------------------------------------------------


def test_reference_example_is_built_from_two_rows(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO|OSL|CPH")
    add_condition(qtbot, builder, "On call", "Yes")

    assert preview(builder) == REFERENCE_EXAMPLE
    assert builder.tag_filter() == TagFilter.parse(REFERENCE_EXAMPLE)
    assert builder.is_valid()
    assert builder.error_text() == ""
    assert visible_errors(builder) == []


def test_values_typed_with_spaces_and_a_trailing_bar_give_the_canonical_form(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, " On call ", "Yes | No|")

    assert preview(builder) == "On call:Yes|No"


def test_rows_read_as_and_and_values_as_any_of(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    add_condition(qtbot, builder, "On call", "Yes")

    texts = [label.text() for label in builder.findChildren(QLabel) if label.isVisible()]
    assert texts.count("AND") == 1  # between the two rows, not before the first
    assert texts.count("is any of") == 2


def test_removing_a_row_renumbers_the_others(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    add_condition(qtbot, builder, "Group", "Management")
    add_condition(qtbot, builder, "On call", "Yes")

    remove = named(builder, QPushButton, "Remove condition 2")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)

    assert builder.tag_filter() == TagFilter.parse("Base:STO;On call:Yes")
    assert names_of(builder, QPushButton).count("Remove condition 3") == 0
    assert named(builder, QLineEdit, "Tag type 2").text() == "On call"


def test_removing_the_last_row_leaves_the_filter_not_set(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, "Base", "STO")

    qtbot.mouseClick(named(builder, QPushButton, "Remove condition 1"), Qt.MouseButton.LeftButton)

    assert builder.tag_filter() is None
    assert builder.is_valid()


def test_empty_builder_is_not_set_and_valid(builder: TagFilterBuilder) -> None:
    assert builder.tag_filter() is None
    assert builder.is_valid()
    assert builder.error_text() == ""
    assert preview(builder) == "(not set)"


def test_a_new_blank_row_is_invalid_until_filled(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    qtbot.mouseClick(named(builder, QPushButton, "Add condition"), Qt.MouseButton.LeftButton)

    assert not builder.is_valid()
    assert builder.error_text().startswith("Condition 1: ")
    with pytest.raises(ValidationError):
        builder.tag_filter()
    assert preview(builder) == "(not valid yet)"


@pytest.mark.parametrize(
    ("tagtype", "values", "offending"),
    [
        ("On|call", "Yes", "'|'"),
        ("On call", "Y;es", "';'"),
        ("On call", "Yes:No", "':'"),
        ("On;call", "Yes", "';'"),
    ],
)
def test_a_forbidden_character_is_reported_on_its_row_only(
    qtbot: QtBot, builder: TagFilterBuilder, tagtype: str, values: str, offending: str
) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    add_condition(qtbot, builder, tagtype, values)

    errors = visible_errors(builder)
    assert len(errors) == 1
    assert offending in errors[0]
    assert builder.error_text() == f"Condition 2: {errors[0]}"
    assert not builder.is_valid()
    assert named(builder, QLineEdit, "Tag type 2").property("invalid") is True
    assert named(builder, QLineEdit, "Tag values 2").property("invalid") is True
    assert named(builder, QLineEdit, "Tag type 1").property("invalid") is False


def test_fixing_the_row_clears_its_error(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO;")

    qtbot.keyClick(named(builder, QLineEdit, "Tag values 1"), Qt.Key.Key_Backspace)

    assert visible_errors(builder) == []
    assert named(builder, QLineEdit, "Tag values 1").property("invalid") is False
    assert builder.tag_filter() == TagFilter.parse("Base:STO")


def test_every_edit_emits_changed(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    with qtbot.waitSignal(builder.changed, timeout=1000):
        qtbot.mouseClick(named(builder, QPushButton, "Add condition"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(builder.changed, timeout=1000):
        qtbot.keyClicks(named(builder, QLineEdit, "Tag type 1"), "B")
    with qtbot.waitSignal(builder.changed, timeout=1000):
        qtbot.keyClicks(named(builder, QLineEdit, "Tag values 1"), "S")
    with qtbot.waitSignal(builder.changed, timeout=1000):
        toggle_text_mode(qtbot, builder)
    with qtbot.waitSignal(builder.changed, timeout=1000):
        qtbot.keyClicks(named(builder, QLineEdit, "Recipients to include"), "x")


def test_set_filter_emits_changed_once(builder: TagFilterBuilder) -> None:
    emitted: list[None] = []
    builder.changed.connect(lambda: emitted.append(None))

    builder.set_filter(REFERENCE_EXAMPLE)

    assert len(emitted) == 1


# --- Text mode -----------------------------------------------------------------------------


def test_text_typed_in_text_mode_becomes_rows(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    toggle_text_mode(qtbot, builder)
    assert builder.text_mode()
    qtbot.keyClicks(named(builder, QLineEdit, "Recipients to include"), REFERENCE_EXAMPLE)
    assert preview(builder) == REFERENCE_EXAMPLE

    toggle_text_mode(qtbot, builder)

    assert not builder.text_mode()
    assert named(builder, QLineEdit, "Tag type 1").text() == "Base"
    assert named(builder, QLineEdit, "Tag values 1").text() == "STO|OSL|CPH"
    assert named(builder, QLineEdit, "Tag type 2").text() == "On call"
    assert named(builder, QLineEdit, "Tag values 2").text() == "Yes"
    assert builder.tag_filter() == TagFilter.parse(REFERENCE_EXAMPLE)


def test_text_mode_starts_with_the_canonical_string(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, "Base ", "STO| OSL")

    toggle_text_mode(qtbot, builder)

    assert named(builder, QLineEdit, "Recipients to include").text() == "Base:STO|OSL"


def test_text_mode_keeps_what_was_typed_in_invalid_rows(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    add_condition(qtbot, builder, "On:call", "Yes")

    toggle_text_mode(qtbot, builder)

    assert named(builder, QLineEdit, "Recipients to include").text() == "Base:STO;On:call:Yes"
    assert not builder.is_valid()


@pytest.mark.parametrize("text", ["Base", "Base:STO;On:call:Yes", "Base:STO;;On call:Yes"])
def test_malformed_text_shows_the_parser_error_and_stays_in_text_mode(
    qtbot: QtBot, builder: TagFilterBuilder, text: str
) -> None:
    with pytest.raises(ValidationError) as expected:
        TagFilter.parse(text)
    toggle_text_mode(qtbot, builder)
    qtbot.keyClicks(named(builder, QLineEdit, "Recipients to include"), text)

    toggle_text_mode(qtbot, builder)  # try to leave

    assert builder.text_mode()
    assert named(builder, QPushButton, "Edit as text").isChecked()
    assert visible_errors(builder) == [str(expected.value)]
    assert builder.error_text() == str(expected.value)
    assert not builder.is_valid()
    with pytest.raises(ValidationError):
        builder.tag_filter()


def test_blank_text_is_valid_and_leaves_no_rows(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    toggle_text_mode(qtbot, builder)
    named(builder, QLineEdit, "Recipients to include").clear()
    assert builder.is_valid()

    toggle_text_mode(qtbot, builder)

    assert not builder.text_mode()
    assert builder.tag_filter() is None
    assert "Tag type 1" not in names_of(builder, QLineEdit)


# --- set_filter, clear ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [REFERENCE_EXAMPLE, TagFilter.parse(REFERENCE_EXAMPLE)])
def test_set_filter_round_trips(builder: TagFilterBuilder, value: TagFilter | str) -> None:
    builder.set_filter(value)

    assert builder.tag_filter() == TagFilter.parse(REFERENCE_EXAMPLE)
    assert str(builder.tag_filter()) == REFERENCE_EXAMPLE
    assert not builder.text_mode()
    assert named(builder, QLineEdit, "Tag values 1").text() == "STO|OSL|CPH"


def test_set_filter_with_malformed_text_opens_text_mode(builder: TagFilterBuilder) -> None:
    builder.set_filter("Base:STO;On:call:Yes")

    assert builder.text_mode()
    assert named(builder, QLineEdit, "Recipients to include").text() == "Base:STO;On:call:Yes"
    assert "more than one ':'" in builder.error_text()


@pytest.mark.parametrize("value", [None, "", "   "])
def test_set_filter_with_nothing_clears(builder: TagFilterBuilder, value: str | None) -> None:
    builder.set_filter("Base:STO")

    builder.set_filter(value)

    assert builder.tag_filter() is None
    assert builder.is_valid()


def test_clear_leaves_text_mode_and_removes_every_row(builder: TagFilterBuilder) -> None:
    builder.set_filter("Base")

    builder.clear()

    assert not builder.text_mode()
    assert builder.tag_filter() is None
    assert visible_errors(builder) == []


# --- Completion ----------------------------------------------------------------------------


def completions(line_edit: QLineEdit, typed: str) -> list[str]:
    completer = line_edit.completer()
    completer.setCompletionPrefix(typed)
    model = completer.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_type_field_completes_the_vocabulary_types(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    builder.set_vocabulary(VOCABULARY)
    add_condition(qtbot, builder, "", "")
    type_edit = named(builder, QLineEdit, "Tag type 1")

    assert completions(type_edit, "") == ["Base", "Group", "On call"]
    assert completions(type_edit, "CALL") == ["On call"]  # case-insensitive, inside the name


def test_value_field_completes_the_values_of_the_chosen_type(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    builder.set_vocabulary(VOCABULARY)
    add_condition(qtbot, builder, "base", "")  # typed in lower case in a hurry
    values_edit = named(builder, QLineEdit, "Tag values 1")

    assert completions(values_edit, "") == ["CPH", "OSL", "STO"]

    type_edit = named(builder, QLineEdit, "Tag type 1")
    type_edit.selectAll()
    qtbot.keyClicks(type_edit, "On call")
    assert completions(values_edit, "") == ["No", "Yes"]


def test_choosing_a_completion_replaces_only_the_value_being_typed(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    builder.set_vocabulary(VOCABULARY)
    add_condition(qtbot, builder, "Base", "")
    qtbot.keyClick(named(builder, QLineEdit, "Tag type 1"), Qt.Key.Key_Return)
    values_edit = named(builder, QLineEdit, "Tag values 1")
    assert values_edit.hasFocus()  # Return moved on to the values
    qtbot.keyClicks(values_edit, "STO|os")
    popup = values_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=1000)

    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)

    assert values_edit.text() == "STO|OSL"
    assert builder.tag_filter() == TagFilter.parse("Base:STO|OSL")


def test_down_opens_the_list_of_known_values(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    builder.set_vocabulary(VOCABULARY)
    add_condition(qtbot, builder, "On call", "")
    values_edit = named(builder, QLineEdit, "Tag values 1")
    values_edit.setFocus()

    qtbot.keyClick(values_edit, Qt.Key.Key_Down)

    qtbot.waitUntil(values_edit.completer().popup().isVisible, timeout=1000)
    assert values_edit.completer().completionCount() == 2


# --- Keyboard, accessibility, enabling -----------------------------------------------------


def test_interactive_children_have_accessible_names(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, "Base", "STO")

    assert builder.accessibleName() == "Recipients to include"
    assert set(names_of(builder, QLineEdit)) == {"Tag type 1", "Tag values 1"}
    assert set(names_of(builder, QPushButton)) == {
        "Remove condition 1",
        "Add condition",
        "Edit as text",
    }
    toggle_text_mode(qtbot, builder)
    assert names_of(builder, QLineEdit) == ["Recipients to include"]


def test_tab_order_follows_the_rows(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    add_condition(qtbot, builder, "On call", "Yes")

    order = []
    widget = named(builder, QLineEdit, "Tag type 1")
    for _ in range(7):
        order.append(widget.accessibleName())
        widget = widget.nextInFocusChain()
        while not (widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()

    assert order == [
        "Tag type 1",
        "Tag values 1",
        "Remove condition 1",
        "Tag type 2",
        "Tag values 2",
        "Remove condition 2",
        "Add condition",
    ]


def test_return_in_a_field_does_not_press_the_dialogs_default_button(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    builder = TagFilterBuilder(dialog)
    start = QPushButton("Start job", dialog)
    start.setDefault(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(builder)
    layout.addWidget(start)
    dialog.show()
    qtbot.waitExposed(dialog)
    add_condition(qtbot, builder, "Base", "STO")
    clicks: list[bool] = []
    start.clicked.connect(clicks.append)

    qtbot.keyClick(named(builder, QLineEdit, "Tag type 1"), Qt.Key.Key_Return)
    qtbot.keyClick(named(builder, QLineEdit, "Tag values 1"), Qt.Key.Key_Return)

    assert clicks == []


def test_disabled_builder_disables_its_children(qtbot: QtBot, builder: TagFilterBuilder) -> None:
    add_condition(qtbot, builder, "Base", "STO")

    builder.setEnabled(False)

    children = builder.findChildren(QLineEdit) + builder.findChildren(QPushButton)
    assert children
    assert not any(child.isEnabled() for child in children)


# --- Plain functions -----------------------------------------------------------------------


def test_split_values_drops_blanks_and_trims() -> None:
    assert split_values(" STO | OSL||") == ["STO", "OSL"]
    assert split_values("") == []


def test_evaluate_conditions_reports_each_row() -> None:
    evaluation = evaluate_conditions([("Base", "STO"), ("On call", ""), ("", "Yes")])

    assert evaluation.tag_filter is None
    assert evaluation.row_errors[0] == ""
    assert "no tag value" in evaluation.row_errors[1]
    assert "tag type is empty" in evaluation.row_errors[2]
    assert evaluation.first_error == (2, evaluation.row_errors[1])


def test_no_condition_is_not_set() -> None:
    assert evaluate_conditions([]).tag_filter is None
    assert evaluate_conditions([]).first_error is None


def test_fields_round_trip_through_the_filter() -> None:
    tag_filter = TagFilter.parse(REFERENCE_EXAMPLE)

    assert evaluate_conditions(fields_from_filter(tag_filter)).tag_filter == tag_filter


def test_text_from_fields_skips_blank_rows_of_an_invalid_filter() -> None:
    assert text_from_fields([("Base", "STO"), ("", ""), ("On", "x;y")]) == "Base:STO;On:x;y"


def test_vocabulary_is_trimmed_sorted_and_merged() -> None:
    vocabulary = normalize_vocabulary(
        {" Base": ["OSL", "sto", " ", "OSL"], "Base": ["CPH"], "": []}
    )

    assert vocabulary == {"Base": ["CPH", "OSL", "sto"]}
    assert vocabulary_values(vocabulary, " BASE ") == ["CPH", "OSL", "sto"]
    assert vocabulary_values(vocabulary, "Group") == []


@pytest.mark.parametrize(
    ("text", "cursor", "expected"),
    [
        ("STO|os", 6, ("STO|", "os", "")),
        ("STO|os|CPH", 5, ("STO|", "os", "|CPH")),
        ("st", 2, ("", "st", "")),
        ("STO|", 4, ("STO|", "", "")),
    ],
)
def test_segment_at_finds_the_value_under_the_cursor(
    text: str, cursor: int, expected: tuple[str, str, str]
) -> None:
    assert segment_at(text, cursor) == expected


# --- Spellings not seen before ---------------------------------------------------------------


def test_a_fix_replaces_only_the_misspelt_value() -> None:
    tag = UnknownTag("Base", "Stx", "STO")
    assert corrected(("Base", "Stx| OSL |Stx"), tag) == ("Base", "STO| OSL |STO")
    assert corrected(("Bse", "STO"), UnknownTag("Bse", None, "Base")) == ("Base", "STO")
    assert corrected(("Base", "Nowhere"), UnknownTag("Base", "Nowhere")) == ("Base", "Nowhere")


def test_a_hint_names_the_tag_and_the_likely_spelling() -> None:
    assert spelling_hint(UnknownTag("Bse", None, "Base")) == (
        "Tag type “Bse” not seen before — did you mean “Base”?"
    )
    assert spelling_hint(UnknownTag("Base", "Nowhere")) == (
        "Value “Nowhere” of Base not seen before: check the spelling."
    )


def test_a_misspelt_condition_is_flagged_in_its_row_and_fixed_from_the_keyboard(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    builder.set_vocabulary(VOCABULARY)
    add_condition(qtbot, builder, "On cal", "Yes")
    fix = named(builder, QPushButton, "Use “On call”")
    hint = [label for label in builder.findChildren(QLabel) if "not seen before" in label.text()]
    assert [label.isVisible() for label in hint] == [True]
    fix.setFocus()
    qtbot.keyClick(fix, Qt.Key.Key_Space)
    assert str(builder.tag_filter()) == "On call:Yes"
    assert not fix.isVisible()
    assert not hint[0].isVisible()


def test_a_vocabulary_arriving_later_flags_what_is_already_typed(
    qtbot: QtBot, builder: TagFilterBuilder
) -> None:
    add_condition(qtbot, builder, "Base", "STO")
    builder.set_vocabulary({"Base": ["OSL"]})
    assert names_of(builder, QPushButton).count("Use “OSL”") == 0  # "STO" is not near "OSL"
    assert any("“STO” of Base" in label.text() for label in builder.findChildren(QLabel))
    builder.set_vocabulary({"Base": ["OSL", "STO"]})
    assert not any(
        "not seen before" in label.text() and label.isVisible()
        for label in builder.findChildren(QLabel)
    )
