"""Loading PostHog's C++ HogQL parser (or the Rust one) and parsing to its JSON AST.

hogql-parser 1.3.88's module init imports ``posthog.hogql.errors``. We register empty
stand-in modules only for the duration of the import and remove them afterwards, so no
``posthog`` package ever stays visible (the PyPI ``posthog`` SDK owns that name).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import types
from collections.abc import Callable
from typing import Any, cast

from workbench.server.hogql.errors import HogQLError, HogQLErrorCode

_STAND_IN_MODULES = ("posthog", "posthog.hogql", "posthog.hogql.errors")
"""Modules hogql-parser's init imports; only stubs, present during the import only."""

_lock = threading.Lock()
_parse_select: Callable[[str], str] | None = None
_parse_expr: Callable[[str], str] | None = None
RAISED_ERROR_CODES: dict[str, HogQLErrorCode] = {
    "SyntaxError": "hogql_syntax_error",
    "ParsingError": "hogql_syntax_error",
    "NotImplementedError": "hogql_error",
}
"""Errors the parser raises (rather than returns) for some input, e.g. an unmatched ``}``, by
class name: the module binds the classes of whichever ``posthog.hogql.errors`` it was first
imported with (ours, or another stand-in), so only the names are reliable."""
_error_offsets_in_bytes = False
"""The C++ parser reports a syntax error's offsets in UTF-8 bytes (node positions of a
successful parse are characters); the Rust parser's are taken as characters (unverified)."""


def _load() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """Import the parser backend once: hogql-parser-rs when installed, else the C++ one."""
    global _parse_select, _parse_expr, _error_offsets_in_bytes
    with _lock:
        if _parse_select is not None and _parse_expr is not None:
            return _parse_select, _parse_expr
        try:
            import hogql_parser_rs as backend  # type: ignore[import-not-found]
        except ImportError:
            backend = _import_cpp_parser()
            _error_offsets_in_bytes = True
        _parse_select = cast(Callable[[str], str], backend.parse_select_json)
        _parse_expr = cast(Callable[[str], str], backend.parse_expr_json)
        return _parse_select, _parse_expr


def _import_cpp_parser() -> types.ModuleType:
    saved = {name: sys.modules.get(name) for name in _STAND_IN_MODULES}
    try:
        for name in _STAND_IN_MODULES:
            module = types.ModuleType(name)
            module.__path__ = []
            sys.modules[name] = module
        errors = sys.modules["posthog.hogql.errors"]
        for cls_name in RAISED_ERROR_CODES:
            setattr(errors, cls_name, type(cls_name, (Exception,), {}))
        import hogql_parser

        return hogql_parser
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def parse_select(query: str) -> dict[str, Any]:
    """The JSON AST of a SELECT (or set of SELECTs); raises HogQLError on a syntax error."""
    parse, _ = _load()
    return _decode(_call(parse, query), query)


def parse_expr(expr: str) -> dict[str, Any]:
    """The JSON AST of one expression; raises HogQLError on a syntax error."""
    _, parse = _load()
    return _decode(_call(parse, expr), expr)


def _call(parse: Callable[[str], str], text: str) -> str:
    """``parse(text)``, with the errors the parser raises turned into HogQLError."""
    try:
        return parse(text)
    except Exception as error:
        code = RAISED_ERROR_CODES.get(type(error).__name__)
        if code is None:
            raise
        message = str(error) or "Syntax error"
        start = _unmatched_brace(text) if "curly bracket" in message else None
        end = None if start is None else start + 1
        raise HogQLError(message, code=code, start=start, end=end) from None


def _unmatched_brace(text: str) -> int | None:
    """Offset of the first ``}`` that closes nothing, outside strings and comments."""
    from workbench.server.hogql.dropped_clauses import blank_opaque

    depth = 0
    for index, char in enumerate(blank_opaque(text)):
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
    return None


def _decode(raw: str, query: str) -> dict[str, Any]:
    """The parsed tree, or HogQLError for the error object the parser returns instead."""
    tree = json.loads(raw)
    if not isinstance(tree, dict):
        raise HogQLError("Parser returned an unexpected result", code="hogql_error")
    if tree.get("error"):
        code: HogQLErrorCode = (
            "hogql_error" if tree.get("type") == "NotImplementedError" else "hogql_syntax_error"
        )
        message = str(tree.get("message") or "Syntax error")
        start, end = _offset(tree.get("start"), query), _offset(tree.get("end"), query)
        if not end and "settingsClause" in message:  # reported at 0..0
            start, end = _settings_span(query)
        raise HogQLError(message, code=code, start=start, end=end)
    return tree


def _settings_span(query: str) -> tuple[int | None, int | None]:
    """Where the SETTINGS clause is (the parser refuses it without a position): from the
    last ``SETTINGS`` word outside strings and comments to the end of the query."""
    from workbench.server.hogql.dropped_clauses import blank_opaque

    code = blank_opaque(query)  # same offsets, comments and strings blanked
    found = [m.start() for m in re.finditer(r"\bsettings\b", code, re.IGNORECASE)]
    if not found:
        return None, None
    return found[-1], len(code.rstrip().rstrip(";").rstrip())


def _offset(position: object, query: str) -> int | None:
    """A syntax error's offset as a character index into ``query``."""
    if not isinstance(position, dict) or not isinstance(position.get("offset"), int):
        return None
    offset = int(position["offset"])
    if _error_offsets_in_bytes and not query.isascii():
        # bytes → characters; a cut inside a character counts that character as started
        offset = len(query.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
    return offset
