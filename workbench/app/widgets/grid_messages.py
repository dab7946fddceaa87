"""Messages from the results grid, importable without loading the grid (fastdatatable)."""

from __future__ import annotations

from typing import Any, Protocol

from textual.coordinate import Coordinate
from textual.message import Message


class CopyRequested(Message):
    """The user asked to copy ``text`` (``what`` is cell, row or column)."""

    def __init__(self, what: str, text: str) -> None:
        super().__init__()
        self.what = what
        self.text = text


class CellSelectedLike(Protocol):
    """The part of fastdatatable's ``DataTable.CellSelected`` the screen reads."""

    value: Any
    coordinate: Coordinate
