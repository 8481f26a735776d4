"""The language of the interface (docs/translations.md): which one, and putting it in place.

Which: the administrator's policy when it sets ``language``, else ``--language``, else the
choice in Settings, else the system locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``, as gettext reads them), else English. In place: our translations, Qt's own (standard
buttons and dialogs) and the locale that dates, times and the calendar follow.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from dispatch_desktop.policy import LANGUAGES  # the first is the fallback

log = logging.getLogger(__name__)
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
"""Where the compiled translations (.qm) ship inside the package."""


def supported(value: str | None) -> str | None:
    """The language ``value`` names ("sv", "sv_SE.UTF-8", "en_GB"), if the interface speaks
    it; ``None`` otherwise."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()
    return code if code in LANGUAGES else None


def system_language(environ: Mapping[str, str]) -> str | None:
    """The language of the system locale, read as gettext does: the first variable that is
    set decides; ``LANGUAGE`` may list several languages by preference ("sv:en"). ``C`` and
    ``POSIX`` mean no preference."""
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        if variable == "LANGUAGE":
            for item in value.split(":"):
                if found := supported(item):
                    return found
            continue  # gettext ignores LANGUAGE entries it has no catalogue for
        return supported(value)
    return None


def choose_language(
    cli: str | None,
    settings: str | None,
    environ: Mapping[str, str],
    policy_language: str | None = None,
) -> str:
    """The interface language: the policy's ``language`` wins over all, then ``--language``
    (``cli``), then the Settings choice (``settings``; empty: follow the system), then the
    system locale in ``environ``, then English."""
    for choice in (policy_language, cli, settings):
        if found := supported(choice):
            return found
    return system_language(environ) or LANGUAGES[0]


_installed: list[QTranslator] = []
"""The translators :func:`install_language` put in place last (children of the app)."""


def install_language(app: QCoreApplication, language: str) -> None:
    """Put ``language`` in place for ``app``, instead of the one put in place before: our
    translation (none for English, the language of the source), Qt's own (standard buttons
    and dialogs), and the default locale, so dates, times and the calendar follow the
    language. Windows made afterwards speak it."""
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    QLocale.setDefault(_locale_of(language))
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (
        (f"qtbase_{language}", qt_folder),
        (f"dispatch_desktop_{language}", str(TRANSLATIONS_DIR)),
    ):
        if language == "en" and folder != qt_folder:
            continue  # the source texts are English
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("The translation %s was not found; its texts stay in English.", name)


def _locale_of(language: str) -> QLocale:
    """Swedish as in Sweden (24-hour clock, ISO dates, Monday first); English as the system
    has it when the system speaks English, else as in Britain (24-hour clock, Monday first)."""
    if language == "sv":
        return QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
    system = QLocale.system()
    if system.language() == QLocale.Language.English:
        return system
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
