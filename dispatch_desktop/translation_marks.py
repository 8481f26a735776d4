"""Marks for text that Qt-free modules hand to the windows, so ``pyside6-lupdate`` extracts it
for translation (docs/translations.md). Mark it in the context "Library": the windows show such
text through ``ui.common.library_text``, which translates it. This module imports no Qt, as
nothing outside ``ui/`` may."""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    """``text`` unchanged; ``pyside6-lupdate`` records it under ``context``."""
    del context
    return text
