"""The settings file's ``[history]`` table: how much query history to keep.

    [history]
    max_entries = 50000     # runs kept; 0 keeps every run
    max_age_days = 365      # runs older than this are pruned; 0 keeps them forever
    keep_samples = true     # store the first rows of each result
    sample_max_kib = 64     # cap on one run's stored sample (KiB of JSON)
    sample_max_rows = 1000  # cap on one run's stored sample (rows)

Saved (starred or named) entries are never pruned, whatever these say. Every value is
checked; a mistake names the file, the setting and what is allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.config.errors import ConfigError
from workbench.history.model import HistorySettings

HISTORY_KEYS = (
    "max_entries",
    "max_age_days",
    "keep_samples",
    "sample_max_kib",
    "sample_max_rows",
)
"""Settings ``[history]`` may have; a typo among them is an error, not silently ignored."""

MAX_SAMPLE_KIB = 16 * 1024
"""A sample larger than 16 MiB per run would make the history file grow by gigabytes."""


def history_from_document(document: dict[str, Any], path: Path) -> HistorySettings | None:
    """The ``[history]`` table as ``HistorySettings`` (defaults for what it leaves out).

    None when the file has no ``[history]`` table. ``ConfigError`` names the setting at fault.
    """
    table = document.get("history")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'history' must be a [history] section, not a value.")
    unknown = sorted(set(table) - set(HISTORY_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: [history] has no setting {unknown[0]!r}. "
            f"Known settings: {', '.join(HISTORY_KEYS)}."
        )
    defaults = HistorySettings()
    max_entries = _whole(table, "max_entries", path, minimum=0)
    max_age_days = _days(table, path)
    keep_samples = table.get("keep_samples", defaults.keep_samples)
    if not isinstance(keep_samples, bool):
        raise ConfigError(f"{path}: history.keep_samples must be true or false.")
    sample_kib = _whole(table, "sample_max_kib", path, minimum=1, maximum=MAX_SAMPLE_KIB)
    sample_rows = _whole(table, "sample_max_rows", path, minimum=1)
    return HistorySettings(
        max_entries=defaults.max_entries if max_entries is None else (max_entries or None),
        max_age_days=defaults.max_age_days if max_age_days is None else (max_age_days or None),
        keep_samples=keep_samples,
        sample_max_bytes=defaults.sample_max_bytes if sample_kib is None else sample_kib * 1024,
        sample_max_rows=defaults.sample_max_rows if sample_rows is None else sample_rows,
    )


def render_history(settings: HistorySettings) -> str:
    """The ``[history]`` section for ``settings`` (every value written out)."""
    age = settings.max_age_days or 0
    lines = [
        "[history]",
        f"max_entries = {settings.max_entries or 0}",
        f"max_age_days = {int(age) if float(age).is_integer() else age}",
        f"keep_samples = {'true' if settings.keep_samples else 'false'}",
        f"sample_max_kib = {max(1, settings.sample_max_bytes // 1024)}",
        f"sample_max_rows = {settings.sample_max_rows}",
    ]
    return "\n".join(lines) + "\n"


def _whole(
    table: dict[str, Any], name: str, path: Path, *, minimum: int, maximum: int | None = None
) -> int | None:
    """A whole-number setting within bounds, or None when absent."""
    if name not in table:
        return None
    value = table[name]
    allowed = f"a whole number from {minimum:,}" + (f" to {maximum:,}" if maximum else " up")
    if minimum == 0:
        allowed += " (0: no limit)"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{path}: history.{name} must be {allowed}, not {value!r}.")
    if value < minimum or (maximum is not None and value > maximum):
        raise ConfigError(f"{path}: history.{name} must be {allowed}, not {value:,}.")
    return value


def _days(table: dict[str, Any], path: Path) -> float | None:
    """``max_age_days``: a non-negative number of days (fractions allowed), or None."""
    if "max_age_days" not in table:
        return None
    value = table["max_age_days"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigError(
            f"{path}: history.max_age_days must be a number of days, 0 or more "
            f"(0: keep runs forever), not {value!r}."
        )
    return float(value)


def history_settings(config_path: str | Path | None = None) -> HistorySettings:
    """What the settings file says about history, or the defaults when it says nothing.

    ``config_path`` None reads the default settings file (a missing one is fine).
    ``ConfigError`` for an unreadable file or a wrong value.
    """
    from workbench.config.load import load_settings_file  # load imports this module

    path = Path(config_path) if config_path is not None else None
    return load_settings_file(path).history or HistorySettings()
