"""Shared fixtures for the HogQL text tools: PostHog's own parser as an oracle."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable
from typing import Any

import pytest

_STAND_INS = ("posthog", "posthog.hogql", "posthog.hogql.errors")
"""Modules hogql_parser imports at load time; empty stand-ins suffice for the JSON API."""


def _load_hogql_parser() -> Any:
    """Import PostHog's C++ HogQL parser (demo extra) without the posthog package."""
    for name in _STAND_INS:
        module = types.ModuleType(name)
        module.__path__ = []
        sys.modules.setdefault(name, module)
    errors = sys.modules["posthog.hogql.errors"]
    for cls in ("SyntaxError", "ParsingError", "NotImplementedError"):
        if not hasattr(errors, cls):
            setattr(errors, cls, type(cls, (Exception,), {}))
    try:
        import hogql_parser

        return hogql_parser
    finally:
        for name in _STAND_INS:
            sys.modules.pop(name, None)


@pytest.fixture(scope="session")
def parse_select() -> Callable[[str], dict[str, Any]]:
    """``parse_select(sql)`` -> the JSON AST of PostHog's parser; skip when it is missing."""
    try:
        parser = _load_hogql_parser()
    except ImportError:
        pytest.skip("hogql_parser (demo extra) not installed")

    def parse(sql: str) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(parser.parse_select_json(sql))
        return result

    return parse
