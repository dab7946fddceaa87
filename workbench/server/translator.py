"""The seam to the HogQL translator (``workbench.server.hogql``), loaded at run time.

Typed here as protocols so the server can be tested with a stand-in translator and does
not depend on the translator's internals.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class TranslatedQueryLike(Protocol):
    """What the server reads from a translation (see ``workbench.server.hogql``)."""

    @property
    def hogql(self) -> str: ...
    @property
    def clickhouse(self) -> str: ...
    @property
    def clickhouse_display(self) -> str: ...
    @property
    def columns(self) -> list[str]: ...
    @property
    def paginate(self) -> bool: ...
    @property
    def table_names(self) -> list[str]: ...


class TranslateFn(Protocol):
    """``translate_hogql(query, *, team_id, values, personal_api_key, modifiers)``."""

    def __call__(
        self,
        query: str,
        *,
        team_id: int,
        values: Mapping[str, object] | None = None,
        personal_api_key: bool = True,
        modifiers: Mapping[str, object] | None = None,
    ) -> TranslatedQueryLike: ...


@dataclass(frozen=True)
class Translator:
    """Translation entry points plus the error class they raise (``.code``, ``.message``,
    ``.start``, ``.end``)."""

    translate: TranslateFn
    metadata: Callable[..., dict[str, Any]]
    error_type: type[Exception]


def load_translator() -> Translator:
    """The real translator; imports PostHog's parser (slow the first time)."""
    module = importlib.import_module("workbench.server.hogql")
    return Translator(
        translate=module.translate_hogql,
        metadata=module.hogql_metadata,
        error_type=module.HogQLError,
    )
