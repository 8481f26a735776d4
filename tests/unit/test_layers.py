"""Dependencies flow one way: only dispatch_desktop/ui imports Qt, and only the windows and the
command line that starts them import the windows, at any depth (a function-level import
counts: it loads Qt just the same when it runs)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "dispatch_desktop"
QT = ("PySide6", "shiboken6")
WINDOWS = "dispatch_desktop.ui"
STARTS_THE_WINDOWS = {"cli.py", "__main__.py"}  # of the package itself, after parsing


def imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def within(name: str, root: str) -> bool:
    return name == root or name.startswith(root + ".")


def test_only_the_windows_import_qt() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "ui") in path.parents:
            continue
        allowed = () if path.parent == PACKAGE and path.name in STARTS_THE_WINDOWS else (WINDOWS,)
        for name in imported_names(ast.parse(path.read_text("utf-8"))):
            if any(within(name, root) for root in (*QT, *allowed)):
                wrong.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_scan_sees_an_import_inside_a_function() -> None:
    tree = ast.parse("def probe():\n    from PySide6.QtWidgets import QApplication\n")
    assert "PySide6.QtWidgets" in imported_names(tree)
