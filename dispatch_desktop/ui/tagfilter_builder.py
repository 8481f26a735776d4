"""Visual tag-filter builder for the start-job form (reference 2.2.6, F9).

One row per condition (rows are AND-ed, the values of a row are OR-ed), a live preview of the
canonical string and a text mode for pasting a filter. What makes a filter valid, and how it is
parsed and printed, is decided by :mod:`dispatch_desktop.api.tagfilter` alone; this module only
turns what was typed into calls to it. The plain functions at the top hold the logic and need
no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api.errors import ValidationError
from dispatch_desktop.api.tagfilter import TagFilter, TagFilterPart
from dispatch_desktop.form_rules import (
    UnknownTag,
    normalize_vocabulary,
    unknown_tags,
    vocabulary_values,
)
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import error_sentence, fill, translate

#: How values are separated inside a row's value field; the same character as in the string form.
VALUE_SEPARATOR = "|"

#: A condition as typed: (tag type text, values text).
Condition = tuple[str, str]


def _style() -> str:
    """A field marked invalid, and the error and hint labels, in the desktop's scheme."""
    return (
        f'QLineEdit[invalid="true"] {{ border: 1px solid {colors.invalid_border()}; }}'
        f'QLabel[role="error"] {{ {colors.accent_css(colors.Accent.ERROR)} }}'
        f'QLabel[role="hint"] {{ {colors.accent_css(colors.Accent.HINT)} }}'
    )


# --- Plain logic (no Qt) -------------------------------------------------------------------


def split_values(text: str) -> list[str]:
    """The values typed in a row's value field, in order.

    Blank entries are dropped so that the trailing ``|`` typed before the next value is not
    reported as an error on every keystroke; all other checks are left to TagFilterPart. Only
    spaces are trimmed here: a line separator or control character at an end must reach
    TagFilterPart, which refuses it, rather than vanish in a trim.
    """
    return [value for value in (piece.strip(" ") for piece in text.split(VALUE_SEPARATOR)) if value]


def part_from_fields(tagtype: str, values_text: str) -> TagFilterPart:
    """The filter part a row describes; raises :class:`ValidationError` naming the part."""
    return TagFilterPart(tagtype, split_values(values_text))


def fields_from_filter(tag_filter: TagFilter | None) -> list[Condition]:
    """One (type, values) pair per part, the inverse of :func:`part_from_fields`."""
    if tag_filter is None:
        return []
    return [(part.tagtype, VALUE_SEPARATOR.join(part.values)) for part in tag_filter.parts]


@dataclass(frozen=True)
class Evaluation:
    """What a list of conditions describes.

    ``row_errors`` has one message per condition, ``""`` for a valid one; ``tag_filter`` is
    ``None`` when there is no condition or when any condition is invalid.
    """

    tag_filter: TagFilter | None
    row_errors: tuple[str, ...]

    @property
    def first_error(self) -> tuple[int, str] | None:
        """(1-based condition number, message) of the first invalid condition, if any."""
        return next(
            ((number, error) for number, error in enumerate(self.row_errors, 1) if error), None
        )


def evaluate_conditions(conditions: Sequence[Condition]) -> Evaluation:
    """Validate every condition on its own, so each row can show its own error (F9)."""
    parts: list[TagFilterPart] = []
    errors: list[str] = []
    for tagtype, values_text in conditions:
        try:
            parts.append(part_from_fields(tagtype, values_text))
        except ValidationError as exc:
            errors.append(error_sentence(exc))
        else:
            errors.append("")
    valid = parts and len(parts) == len(conditions)
    return Evaluation(TagFilter(parts) if valid else None, tuple(errors))


def parse_text(text: str) -> TagFilter | None:
    """The filter typed in text mode; blank text means "not set". Raises ValidationError."""
    return TagFilter.parse(text) if text.strip() else None


def text_from_fields(conditions: Sequence[Condition]) -> str:
    """What text mode starts with: the canonical string, or the rows as typed if invalid.

    Invalid rows cannot be printed by TagFilter, yet switching to text mode must not throw away
    what the user typed, so they are joined as typed (blank rows carry nothing and are skipped).
    """
    evaluation = evaluate_conditions(conditions)
    if evaluation.first_error is None:
        return "" if evaluation.tag_filter is None else str(evaluation.tag_filter)
    typed = ((tagtype.strip(), values.strip()) for tagtype, values in conditions)
    return ";".join(f"{tagtype}:{values}" for tagtype, values in typed if tagtype or values)


def segment_at(text: str, cursor: int) -> tuple[str, str, str]:
    """Split ``text`` around the value under ``cursor``: (before, value, after)."""
    start = text.rfind(VALUE_SEPARATOR, 0, cursor) + 1
    end = text.find(VALUE_SEPARATOR, cursor)
    if end == -1:
        end = len(text)
    return text[:start], text[start:end], text[end:]


# --- Widgets -------------------------------------------------------------------------------


def _configure_completer(completer: QCompleter) -> QCompleter:
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    # Contains, not starts-with: "call" must find "On call" when the dispatcher is in a hurry.
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    return completer


def _error_label(role: str = "error") -> QLabel:
    label = QLabel()
    label.setProperty("role", role)
    # Tag names come from users; plain text keeps a '<' from being read as markup.
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def _mark_invalid(widget: QWidget, message: str) -> None:
    invalid = bool(message)
    widget.setAccessibleDescription(message)
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        # Qt re-evaluates property selectors of a style sheet only on a re-polish.
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def _show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def spelling_hint(tag: UnknownTag) -> str:
    """One sentence about a tag type or value not seen before, with the likely spelling."""
    if tag.value is None:
        text = fill(translate("TagfilterBuilder", "Tag type “%1” not seen before"), tag.tagtype)
    else:
        text = fill(
            translate("TagfilterBuilder", "Value “%1” of %2 not seen before"),
            tag.value,
            tag.tagtype,
        )
    if tag.suggestion is None:
        return text + translate("TagfilterBuilder", ": check the spelling.")
    return text + fill(translate("TagfilterBuilder", " — did you mean “%1”?"), tag.suggestion)


def corrected(condition: Condition, tag: UnknownTag) -> Condition:
    """``condition`` with ``tag`` spelled as suggested (the type, or each value typed so)."""
    tagtype, values_text = condition
    if tag.suggestion is None:
        return condition
    if tag.value is None:
        return tag.suggestion, values_text
    pieces = values_text.split(VALUE_SEPARATOR)
    fixed = [tag.suggestion if piece.strip(" ") == tag.value else piece for piece in pieces]
    return tagtype, VALUE_SEPARATOR.join(fixed)


class _ValueCompleter(QCompleter):
    """Completes the value under the cursor instead of the whole ``|``-separated text."""

    def __init__(self, model: QStringListModel, parent: QLineEdit) -> None:
        super().__init__(model, parent)
        self._before = ""
        self._after = ""

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt virtual)
        widget = self.widget()
        at_cursor = isinstance(widget, QLineEdit) and widget.text() == path
        cursor = widget.cursorPosition() if at_cursor else len(path)
        # Kept for pathFromIndex: choosing a value replaces only the value being typed.
        self._before, value, self._after = segment_at(path, cursor)
        return [value.strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return self._before + super().pathFromIndex(index) + self._after


class _FieldEdit(QLineEdit):
    """A line edit that opens its completion list on Down and keeps Return to itself."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt virtual)
        completer = self.completer()
        popup_open = completer is not None and completer.popup().isVisible()
        if event.key() == Qt.Key.Key_Down and completer is not None and not popup_open:
            completer.setCompletionPrefix(self.text())
            completer.complete()
            return
        super().keyPressEvent(event)
        # QLineEdit ignores Return, so it would reach the start-job dialog and press its default
        # button: real messages sent while typing a filter (F3). With the popup open, the
        # completer forwards Return here first and picks the value only if it stays ignored.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup_open:
            event.accept()


class _ConditionRow(QWidget):
    """One condition: tag type, values (any of), remove button and its own error label."""

    edited = Signal()
    remove_requested = Signal(object)

    def __init__(
        self, condition: Condition, type_model: QStringListModel, vocabulary: dict[str, list[str]]
    ) -> None:
        super().__init__()
        self._vocabulary = vocabulary
        self._and_label = QLabel(translate("TagfilterBuilder", "AND"))
        self.type_edit = _FieldEdit(condition[0])
        self.type_edit.setPlaceholderText(translate("TagfilterBuilder", "Tag type, e.g. Base"))
        self.type_edit.setCompleter(_configure_completer(QCompleter(type_model, self.type_edit)))
        self._value_model = QStringListModel(self)
        self.values_edit = _FieldEdit(condition[1])
        self.values_edit.setPlaceholderText(
            translate("TagfilterBuilder", "Values separated by |, e.g. STO|OSL")
        )
        self.values_edit.setCompleter(
            _configure_completer(_ValueCompleter(self._value_model, self.values_edit))
        )
        self.remove_button = QPushButton(translate("TagfilterBuilder", "Remove"))
        self.error_label = _error_label()
        self.hint_label = _error_label("hint")
        self.fix_button = QPushButton()
        self.fix_button.setAccessibleName(
            translate("TagfilterBuilder", "Use the suggested spelling")
        )
        self.fix_button.hide()
        self._fix: UnknownTag | None = None
        self._lay_out()
        self._update_value_completions()
        self.type_edit.textChanged.connect(self._on_type_changed)
        self.values_edit.textChanged.connect(self._on_values_changed)
        self.type_edit.returnPressed.connect(self._on_type_return)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.fix_button.clicked.connect(self._on_fix_clicked)

    def _lay_out(self) -> None:
        fields = QHBoxLayout()
        fields.addWidget(self.type_edit, 1)
        fields.addWidget(QLabel(translate("TagfilterBuilder", "is any of")))
        fields.addWidget(self.values_edit, 2)
        fields.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._and_label)
        layout.addLayout(fields)
        layout.addWidget(self.error_label)
        hint = QHBoxLayout()
        hint.addWidget(self.hint_label, 1)
        hint.addWidget(self.fix_button)
        layout.addLayout(hint)

    def condition(self) -> Condition:
        """The row's contents as typed."""
        return self.type_edit.text(), self.values_edit.text()

    def focus_chain(self) -> list[QWidget]:
        """The row's focusable widgets in tab order."""
        return [self.type_edit, self.values_edit, self.remove_button, self.fix_button]

    def set_number(self, number: int) -> None:
        """Name the widgets after the row's position; the first row needs no "AND"."""
        self._and_label.setVisible(number > 1)
        self.type_edit.setAccessibleName(fill(translate("TagfilterBuilder", "Tag type %1"), number))
        self.values_edit.setAccessibleName(
            fill(translate("TagfilterBuilder", "Tag values %1"), number)
        )
        remove_name = fill(translate("TagfilterBuilder", "Remove condition %1"), number)
        self.remove_button.setAccessibleName(remove_name)
        self.remove_button.setToolTip(remove_name)

    def set_vocabulary(self, vocabulary: dict[str, list[str]]) -> None:
        """Use these known values for completing the value field."""
        self._vocabulary = vocabulary
        self._update_value_completions()

    def show_spelling(self) -> None:
        """Flag tag types and values not in the vocabulary, offering the first likely
        spelling as a one-click fix."""
        tagtype, values_text = self.condition()
        unknown = unknown_tags([(tagtype, split_values(values_text))], self._vocabulary)
        _show_error(self.hint_label, "\n".join(spelling_hint(tag) for tag in unknown))
        self._fix = next((tag for tag in unknown if tag.suggestion is not None), None)
        if self._fix is not None:
            label = fill(translate("TagfilterBuilder", "Use “%1”"), self._fix.suggestion or "")
            self.fix_button.setText(label)
            self.fix_button.setAccessibleName(label)
            self.fix_button.setToolTip(
                fill(
                    translate("TagfilterBuilder", "Write “%1” instead of “%2”"),
                    self._fix.suggestion or "",
                    self._fix.value or self._fix.tagtype,
                )
            )
        self.fix_button.setVisible(self._fix is not None)

    def show_error(self, message: str) -> None:
        """Show ``message`` under the row and mark its fields; ``""`` clears both."""
        _show_error(self.error_label, message)
        _mark_invalid(self.type_edit, message)
        _mark_invalid(self.values_edit, message)

    def _update_value_completions(self) -> None:
        self._value_model.setStringList(vocabulary_values(self._vocabulary, self.type_edit.text()))

    def _on_type_changed(self) -> None:
        self._update_value_completions()
        self.edited.emit()

    def _on_values_changed(self) -> None:
        self.edited.emit()

    def _on_type_return(self) -> None:
        self.values_edit.setFocus()

    def _on_remove_clicked(self) -> None:
        self.remove_requested.emit(self)

    def _on_fix_clicked(self) -> None:
        if self._fix is None:
            return
        tagtype, values_text = corrected(self.condition(), self._fix)
        for edit, text in ((self.type_edit, tagtype), (self.values_edit, values_text)):
            with QSignalBlocker(edit):
                edit.setText(text)
        self._update_value_completions()
        self.edited.emit()  # one change for the builder, which checks the spelling again
        # The next fix, if any, is on the same button; else the keyboard goes to the values.
        if self.fix_button.isHidden():
            self.values_edit.setFocus()


class TagFilterBuilder(QWidget):
    """Build a tag filter from rows of conditions, or type it as text.

    ``changed`` is emitted after every change of the content, by the user or by
    :meth:`set_filter`, :meth:`clear` or :meth:`set_text_mode`.
    """

    changed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, accessible_name: str = "Tag filter"
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        colors.follow_scheme(self, lambda: self.setStyleSheet(_style()))
        self._rows: list[_ConditionRow] = []
        self._vocabulary: dict[str, list[str]] = {}
        self._type_model = QStringListModel(self)
        self._text_mode = False
        self._batch_depth = 0
        self._build_widgets(accessible_name)
        self._update_tab_order()
        self._show_state()

    # Public API

    def tag_filter(self) -> TagFilter | None:
        """The filter, or ``None`` when not set (no condition, or blank text).

        Raises :class:`ValidationError` (the :meth:`error_text`) when the content is invalid, so
        that an invalid filter can never be mistaken for "not set".
        """
        tag_filter, error = self._current()
        if error:
            raise ValidationError(error)
        return tag_filter

    def is_valid(self) -> bool:
        """True when not set or valid; :meth:`tag_filter` then does not raise."""
        return not self._current()[1]

    def error_text(self) -> str:
        """The first problem, ready to show to the user; ``""`` if there is none."""
        return self._current()[1]

    def set_filter(self, value: TagFilter | str | None) -> None:
        """Replace the content. A string that does not parse opens text mode with the error."""
        with self._batch():
            if isinstance(value, str) and value.strip():
                try:
                    value = TagFilter.parse(value)
                except ValidationError:
                    self._set_rows([])
                    self._text_edit.setText(value)
                    self._set_mode(text=True)
                    return
            self._set_rows(fields_from_filter(value if isinstance(value, TagFilter) else None))
            self._text_edit.clear()
            self._set_mode(text=False)

    def clear(self) -> None:
        """Remove every condition: the filter is not set."""
        self.set_filter(None)

    def set_vocabulary(self, vocabulary: Mapping[str, Iterable[str]]) -> None:
        """Known tag types and their values (type -> values), offered for completion."""
        self._vocabulary = normalize_vocabulary(vocabulary)
        self._type_model.setStringList(list(self._vocabulary))
        for row in self._rows:
            row.set_vocabulary(self._vocabulary)
        self._show_state()

    def text_mode(self) -> bool:
        """True while the filter is edited as text."""
        return self._text_mode

    def set_text_mode(self, on: bool) -> None:
        """Switch between rows and text.

        Leaving text mode rebuilds the rows from the text; when the text does not parse, the
        builder stays in text mode and shows why.
        """
        if on == self._text_mode:
            return
        with self._batch():
            if on:
                self._text_edit.setText(text_from_fields(self._conditions()))
                self._set_mode(text=True)
            else:
                self._leave_text_mode()

    # Construction

    def _build_widgets(self, accessible_name: str) -> None:
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._add_button = QPushButton(translate("TagfilterBuilder", "Add condition"))
        self._add_button.setAccessibleName(translate("TagfilterBuilder", "Add condition"))
        self._add_button.clicked.connect(self._on_add_clicked)
        self._text_edit = _FieldEdit()
        self._text_edit.setAccessibleName(accessible_name)
        self._text_edit.setPlaceholderText(
            translate("TagfilterBuilder", "e.g. Base:STO|OSL;On call:Yes")
        )
        self._text_edit.textChanged.connect(self._on_edited)
        self._text_error = _error_label()
        self._text_hint = _error_label("hint")
        self._text_toggle = QPushButton(translate("TagfilterBuilder", "Edit as text"))
        self._text_toggle.setAccessibleName(translate("TagfilterBuilder", "Edit as text"))
        self._text_toggle.setCheckable(True)
        self._text_toggle.toggled.connect(self._on_text_toggled)
        self._preview = QLabel()
        self._preview.setTextFormat(Qt.TextFormat.PlainText)
        self._preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._preview.setAccessibleName(
            fill(translate("TagfilterBuilder", "Preview of %1"), accessible_name)
        )
        self._stack = QStackedWidget()
        self._stack.addWidget(self._rows_page())
        self._stack.addWidget(self._text_page())
        self._fit_stack()
        footer = QHBoxLayout()
        footer.addWidget(QLabel(translate("TagfilterBuilder", "As text:")))
        footer.addWidget(self._preview, 1)
        footer.addWidget(self._text_toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        layout.addLayout(footer)

    def _fit_stack(self) -> None:
        """Size the stack to the page shown: a stack is as tall as its tallest page, which
        would leave an empty gap under a short list of rows."""
        for index in range(self._stack.count()):
            page = self._stack.widget(index)
            shown = index == self._stack.currentIndex()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self._stack.updateGeometry()

    def _rows_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._rows_layout)
        buttons = QHBoxLayout()
        buttons.addWidget(self._add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _text_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._text_edit)
        layout.addWidget(self._text_error)
        layout.addWidget(self._text_hint)
        hint = QLabel(
            translate(
                "TagfilterBuilder", "Conditions are separated by ';' (AND), values by '|' (any of)."
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    # State

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Group the steps of one public call so that it refreshes and emits ``changed`` once."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
        self._on_edited()

    def _on_edited(self) -> None:
        if self._batch_depth:
            return
        self._show_state()
        self.changed.emit()

    def _conditions(self) -> list[Condition]:
        return [row.condition() for row in self._rows]

    def _current(self) -> tuple[TagFilter | None, str]:
        """(filter, first error) of what is being edited now."""
        if self._text_mode:
            try:
                return parse_text(self._text_edit.text()), ""
            except ValidationError as exc:
                return None, error_sentence(exc)
        evaluation = evaluate_conditions(self._conditions())
        if evaluation.first_error is None:
            return evaluation.tag_filter, ""
        number, message = evaluation.first_error
        return None, fill(translate("TagfilterBuilder", "Condition %1: %2"), number, message)

    def _show_state(self) -> None:
        if self._text_mode:
            tag_filter, error = self._current()
            _show_error(self._text_error, error)
            _mark_invalid(self._text_edit, error)
            conditions = [(p.tagtype, p.values) for p in tag_filter.parts] if tag_filter else []
            unknown = unknown_tags(conditions, self._vocabulary)
            _show_error(self._text_hint, "\n".join(spelling_hint(tag) for tag in unknown))
        else:
            evaluation = evaluate_conditions(self._conditions())
            for row, message in zip(self._rows, evaluation.row_errors, strict=True):
                row.show_error(message)
                row.show_spelling()
            tag_filter = evaluation.tag_filter
            error = "" if evaluation.first_error is None else evaluation.first_error[1]
        if tag_filter is not None:
            self._preview.setText(str(tag_filter))
        elif error:
            self._preview.setText(translate("TagfilterBuilder", "(not valid yet)"))
        else:
            self._preview.setText(translate("TagfilterBuilder", "(not set)"))

    def _set_mode(self, *, text: bool) -> None:
        self._text_mode = text
        self._stack.setCurrentIndex(1 if text else 0)
        self._fit_stack()
        # The toggle follows the mode, also when the mode was refused or set by code.
        with QSignalBlocker(self._text_toggle):
            self._text_toggle.setChecked(text)

    def _leave_text_mode(self) -> None:
        try:
            tag_filter = parse_text(self._text_edit.text())
        except ValidationError:
            self._set_mode(text=True)  # stay; the error is shown under the text
            return
        self._set_rows(fields_from_filter(tag_filter))
        self._set_mode(text=False)

    # Rows

    def _append_row(self, condition: Condition) -> _ConditionRow:
        row = _ConditionRow(condition, self._type_model, self._vocabulary)
        row.edited.connect(self._on_edited)
        row.remove_requested.connect(self._remove_row)
        self._rows_layout.addWidget(row)
        # A layout shows a widget added to a visible parent only from the event loop; show it
        # now so that it can take the focus right away.
        row.show()
        self._rows.append(row)
        return row

    def _discard_row(self, row: _ConditionRow) -> None:
        self._rows.remove(row)
        self._rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    def _set_rows(self, conditions: Sequence[Condition]) -> None:
        for row in list(self._rows):
            self._discard_row(row)
        for condition in conditions:
            self._append_row(condition)
        self._renumber()

    def _renumber(self) -> None:
        for number, row in enumerate(self._rows, 1):
            row.set_number(number)
        self._update_tab_order()

    def _update_tab_order(self) -> None:
        # Rows added later are created after the buttons; Qt's default order would put them last.
        chain = [widget for row in self._rows for widget in row.focus_chain()]
        chain += [self._add_button, self._text_edit, self._text_toggle]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _on_add_clicked(self) -> None:
        with self._batch():
            row = self._append_row(("", ""))
            self._renumber()
        row.type_edit.setFocus()

    def _remove_row(self, row: _ConditionRow) -> None:
        index = self._rows.index(row)
        with self._batch():
            self._discard_row(row)
            self._renumber()
        # Keep the keyboard user where they were: the next row, else the previous, else Add.
        if self._rows:
            self._rows[min(index, len(self._rows) - 1)].remove_button.setFocus()
        else:
            self._add_button.setFocus()

    def _on_text_toggled(self, checked: bool) -> None:
        self.set_text_mode(checked)
        if self._text_mode:
            self._text_edit.setFocus()
