"""Between pages the export hands freed heap memory back (glibc's ``malloc_trim``)."""

from __future__ import annotations

import platform

import pytest

from workbench import memory


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_glibc_trim_is_found_and_called(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_looked_up", False)
    monkeypatch.setattr(memory, "_trim", None)
    memory.release_free_memory()
    assert memory._trim is not None  # found in the C library, and it ran without error


def test_without_the_call_it_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(memory, "_looked_up", False)
    monkeypatch.setattr(memory, "_trim", None)
    memory.release_free_memory()
    assert memory._trim is None
