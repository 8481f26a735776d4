"""The Qt binding in use must not leak references on signal emits.

PySide6-Essentials 6.12.0 under Python 3.11 drops a reference to ``None`` or ``True`` on every
emit, and the interpreter aborts ("bool_dealloc") after a few hundred; pyproject.toml excludes
it. This test fails (or crashes) if such a release comes back.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


def test_emitting_signals_keeps_reference_counts(qapp) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.carried.connect(received.append)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit()
        emitter.carried.emit(True)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert len(received) == 200
    assert after[0] - before[0] < 50
    assert after[1] - before[1] < 250
