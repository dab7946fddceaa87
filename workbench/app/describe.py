"""Human formatting of numbers, sizes, durations and errors (headless, no Textual)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.runs import QueryRun

_BYTE_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def human_bytes(size: float) -> str:
    """``1536`` → ``"1.5 KB"`` (powers of 1000, as ClickHouse reports)."""
    value = float(size)
    for unit in _BYTE_UNITS:
        if abs(value) < 1000 or unit == _BYTE_UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def human_count(count: int) -> str:
    """``1234567`` → ``"1.23M"``; small counts stay exact."""
    if count < 10_000:
        return f"{count:,}"
    for divisor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if count >= divisor:
            return f"{count / divisor:.3g}{suffix}"
    return str(count)


def human_duration(seconds: float) -> str:
    """``0.0423`` → ``"42 ms"``, ``3.2`` → ``"3.2 s"``, ``125`` → ``"2m05s"``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def human_age(seconds: float) -> str:
    """How long ago, in words: ``"just now"``, ``"3 min ago"``, ``"2 h ago"``."""
    if seconds < 5:
        return "just now"
    if seconds < 60:
        return f"{seconds:.0f} s ago"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} d ago"


def progress_line(run: QueryRun) -> str:
    """``"1.2M / 5M rows · 45.1 MB"`` from the run's last progress, or ``""``."""
    progress = run.progress
    if progress is None:
        return ""
    rows = human_count(progress.rows_read)
    percent = ""
    if progress.estimated_rows_total > 0:
        rows += f" / {human_count(progress.estimated_rows_total)}"
        fraction = min(1.0, progress.rows_read / progress.estimated_rows_total)
        percent = f" · {fraction * 100:.0f}%"
    return f"{rows} rows · {human_bytes(progress.bytes_read)}{percent}"


def short_error(error: BaseException) -> str:
    """A few words for the sidebar: ``"HogQL error"``, ``"rate limited"``, ``"network: refused"``."""
    from workbench.client import errors

    if isinstance(error, errors.HogQLError):
        return "HogQL error"
    if isinstance(error, errors.RateLimited):
        return "rate limited"
    if isinstance(error, errors.NetworkError):
        return f"network: {error.kind}"
    if isinstance(error, errors.PostHogError):
        return str(error)
    return type(error).__name__


def describe_error(error: BaseException) -> str:
    """What the user needs to read about a failure; never a traceback or the API key.

    Client errors carry their own human message; anything else is summarised by type,
    because an unexpected exception must not take the app down. Control characters from
    server text are made visible.
    """
    from workbench.app.literal import escape_control

    return escape_control(_describe_error(error))


def _describe_error(error: BaseException) -> str:
    from workbench.client import errors

    if isinstance(error, errors.ConcurrencyLimited):
        return f"Too many queries running at once on this project. {error}"
    if isinstance(error, errors.RateLimited):
        wait = (
            f"Retry in {human_duration(error.retry_after)}."
            if error.retry_after is not None
            else "Retry later."
        )
        return f"Rate limited: {error} {wait}"
    if isinstance(error, errors.NetworkError):
        return f"Network error ({error.kind}): {error}"
    if isinstance(error, errors.PostHogError):
        return str(error)
    return f"Unexpected {type(error).__name__}: {error}"
