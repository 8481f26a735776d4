"""The translations (issue 11 §1, docs/translations.md): every text a user can meet is
extracted into a context that translates at run time, translated into Swedish with the same
placeholders, and the shipped .qm files are what the committed .ts files compile to.

A failure names the texts concerned: after a merge, `make translations` then translating
what is listed here (in resources/translations/dispatch_desktop_sv.ts) makes it pass."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dispatch_desktop"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = PACKAGE / "ui" / "translations"
TOOLS = Path(sys.executable).parent
LUPDATE = [str(TOOLS / "pyside6-lupdate"), "-extensions", "py", "-no-obsolete"]
LUPDATE += ["-locations", "none", "-silent"]

# One context per window module (its file name in CamelCase), and "Library" for sentences the
# Qt-free modules mark (dispatch_desktop/translation_marks.py).
CONTEXTS = {
    "".join(part.capitalize() for part in path.stem.split("_"))
    for path in (PACKAGE / "ui").glob("*.py")
} | {"Library"}
PLACEHOLDER = re.compile(r"%(?:[1-9][0-9]?|n)")
MNEMONIC = re.compile(r"&(?!&)\w")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    plural: bool
    forms: tuple[str, ...]
    finished: bool


def read_ts(path: Path) -> dict[tuple[str, str], Message]:
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 - our own file
        name = context.findtext("name") or ""
        for element in context.iter("message"):
            source = element.findtext("source") or ""
            translation = element.find("translation")
            assert translation is not None
            plural = element.get("numerus") == "yes"
            forms = (
                tuple(form.text or "" for form in translation.iter("numerusform"))
                if plural
                else (translation.text or "",)
            )
            finished = translation.get("type") not in {"unfinished", "vanished", "obsolete"}
            messages[(name, source)] = Message(name, source, plural, forms, finished)
    return messages


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Message]:
    """What lupdate extracts from the source now (into a new file)."""
    target = tmp_path_factory.mktemp("lupdate") / "dispatch_desktop_sv.ts"
    subprocess.run([*LUPDATE, str(PACKAGE), "-ts", str(target)], check=True, timeout=120)  # noqa: S603
    return read_ts(target)


@pytest.fixture(scope="module")
def swedish() -> dict[tuple[str, str], Message]:
    return read_ts(TS_DIR / "dispatch_desktop_sv.ts")


def listed(keys: object) -> str:
    return "\n".join(f"  [{context}] {source!r}" for context, source in sorted(keys))  # type: ignore[attr-defined]


def test_every_text_of_the_source_has_a_finished_swedish_translation(extracted, swedish) -> None:
    missing = {
        key
        for key in extracted
        if key not in swedish or not swedish[key].finished or not all(swedish[key].forms)
    }
    assert not missing, (
        f"{len(missing)} text(s) without a finished Swedish translation; run `make "
        f"translations` and translate them in resources/translations/dispatch_desktop_sv.ts:\n"
        + listed(missing)
    )


def test_the_swedish_file_holds_no_text_the_source_no_longer_has(extracted, swedish) -> None:
    gone = set(swedish) - set(extracted)
    assert not gone, "texts no longer in the source; run `make translations`:\n" + listed(gone)


def test_plural_texts_are_plural_in_both_files(extracted, swedish) -> None:
    wrong = {key for key, message in extracted.items() if message.plural != swedish[key].plural}
    assert not wrong, "run `make translations`:\n" + listed(wrong)
    # English, the source language, makes its plural from "(s)" (ui.common.translate).
    without = {key for key, message in extracted.items() if message.plural and "(s)" not in key[1]}
    assert not without, "a text that counts must mark its English plural with (s):\n" + listed(
        without
    )
    assert all(len(swedish[key].forms) == 2 for key in extracted if swedish[key].plural)


def test_no_text_sits_in_a_context_that_would_not_translate(extracted) -> None:
    strays = {key for key in extracted if key[0] not in CONTEXTS}
    assert not strays, "texts in an empty or unknown context:\n" + listed(strays)


def test_placeholders_match_between_source_and_translation(swedish) -> None:
    wrong = []
    for (context, source), message in swedish.items():
        wanted = sorted(PLACEHOLDER.findall(source))
        for form in message.forms:
            if sorted(PLACEHOLDER.findall(form)) != wanted:
                wrong.append(f"  [{context}] {source!r} -> {form!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_a_mnemonic_stays_a_mnemonic(swedish) -> None:
    wrong = [
        f"  [{m.context}] {m.source!r} -> {m.forms[0]!r}"
        for m in swedish.values()
        if len(MNEMONIC.findall(m.source)) != len(MNEMONIC.findall(m.forms[0]))
    ]
    assert not wrong, "a mnemonic (&) lost or added:\n" + "\n".join(wrong)


def test_the_shipped_qm_file_is_compiled_from_the_committed_ts_file(tmp_path: Path) -> None:
    name = "dispatch_desktop_sv"
    built = tmp_path / f"{name}.qm"
    lrelease = str(TOOLS / "pyside6-lrelease")
    subprocess.run(  # noqa: S603 - the venv's own tool
        [lrelease, "-silent", str(TS_DIR / f"{name}.ts"), "-qm", str(built)], check=True
    )
    assert built.read_bytes() == (QM_DIR / f"{name}.qm").read_bytes(), "run `make translations`"


def test_the_qm_files_ship_in_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["dispatch_desktop.ui"]
    shipped = {path for pattern in globs for path in (PACKAGE / "ui").glob(pattern)}
    assert QM_DIR / "dispatch_desktop_sv.qm" in shipped


# -- the calls lupdate reads --------------------------------------------------------------------


def translation_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in {"translate", "QT_TRANSLATE_NOOP"}
                and len(node.args) >= 2  # not str.translate
            ):
                calls.append((path, node))
    return calls


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_every_translation_call_names_its_context_and_is_extracted(extracted) -> None:
    """lupdate skips a call it cannot read (a count in the wrong place, an expression for the
    context) without a word: each call with a literal text must be in its output, and the
    text of every other call must come from a marked table (its context literal)."""
    problems = []
    for path, call in translation_calls():
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        context = _literal(call.args[0]) if call.args else None
        text = _literal(call.args[1]) if len(call.args) > 1 else None
        if context is None:
            # Only the helpers pass a context on: translate() itself, the table headers
            # (each model's CONTEXT) and library_text().
            if path.name not in {"common.py", "table_model.py"}:
                problems.append(f"{where}: the context is not a literal")
            continue
        if text is None:
            continue  # a lookup of a text marked with QT_TRANSLATE_NOOP
        if (context, text) not in extracted:
            problems.append(f"{where}: lupdate did not extract {text!r}")
        elif ("%n" in text) != extracted[(context, text)].plural:
            problems.append(f"{where}: {text!r} must be translate(..., None, PLURAL, count)")
    assert not problems, "\n".join(problems)


def test_no_module_outside_the_windows_imports_qt_to_mark_its_texts() -> None:
    marks = (PACKAGE / "translation_marks.py").read_text()
    assert "PySide6" not in marks
