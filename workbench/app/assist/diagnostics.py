"""HogQLMetadata problems as positioned diagnostics for the editor (headless)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from workbench.client import HogQLMetadata, MetadataNotice

Severity = Literal["error", "warning", "notice"]
"""What the server called the problem; decides the underline colour and the gutter mark."""

SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "notice": 2}
"""Most severe first: the gutter and the cursor message show the worst one."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem: ``start``..``end`` are character offsets into the whole buffer."""

    severity: Severity
    message: str
    start: int
    end: int
    fix: str | None = None


def _positioned(
    notices: Iterable[MetadataNotice], severity: Severity, offset: int, length: int
) -> list[Diagnostic]:
    found = []
    for notice in notices:
        start = notice.start if notice.start is not None else 0
        end = notice.end if notice.end is not None else length
        start = max(0, min(start, length))
        # A zero-width span (``Unexpected end of query``) marks the character before it.
        end = max(start, min(end, length))
        if end == start and start > 0:
            start -= 1
        found.append(Diagnostic(severity, notice.message, offset + start, offset + end, notice.fix))
    return found


def diagnostics_from(metadata: HogQLMetadata, *, offset: int, length: int) -> list[Diagnostic]:
    """The metadata's problems for a statement of ``length`` characters at ``offset``."""
    found = _positioned(metadata.errors, "error", offset, length)
    found += _positioned(metadata.warnings, "warning", offset, length)
    found += _positioned(metadata.notices, "notice", offset, length)
    return sorted(found, key=lambda d: (d.start, SEVERITY_ORDER[d.severity]))


def diagnostic_at(diagnostics: Iterable[Diagnostic], offset: int) -> Diagnostic | None:
    """The most severe diagnostic whose span holds ``offset`` (its end counts: the cursor
    usually sits just after the word it is about)."""
    hits = [d for d in diagnostics if d.start <= offset <= max(d.end, d.start + 1)]
    if not hits:
        return None
    return min(hits, key=lambda d: SEVERITY_ORDER[d.severity])
