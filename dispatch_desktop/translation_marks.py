"""Translatable text without Qt (docs/translations.md): the mark that lets
``pyside6-lupdate`` extract a text of a Qt-free module, and the one placeholder formatter of
every translated text. Mark such text in the context "Library": the windows show it through
``ui.common.library_text``, which translates it. This module imports no Qt, as nothing outside
``ui/`` may."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%([1-9][0-9]?)")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate reads
    """``text`` unchanged; ``pyside6-lupdate`` records it under ``context``."""
    del context
    return text


def fill(template: str, *args: object) -> str:
    """``template`` (a translated text) with ``%1``, ``%2`` … replaced by ``args`` in one
    pass: what an argument holds is never substituted again (a job called "Drill %2" is
    shown as it is). A placeholder without an argument stays as written."""

    def argument(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(args[number - 1]) if number <= len(args) else match.group(0)

    return _PLACEHOLDER.sub(argument, template)


class Phrase(str):
    """A text marked for translation together with the values of its placeholders, so the
    windows can say it in the user's language (``ui.common.library_text``). As a ``str`` it is
    the English text filled in, which scripts and the log read. A value that is itself a
    :class:`Phrase` is translated too; any other value (a name, an address, an OS error) is
    shown as it is."""

    rule: str
    values: tuple[str, ...]

    def __new__(cls, rule: str, *values: str) -> Phrase:
        phrase = super().__new__(cls, fill(rule, *values))
        phrase.rule = rule
        phrase.values = values
        return phrase
