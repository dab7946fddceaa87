"""The settings file's ``[history]`` section: read, checked, written back, and used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.config.conftest import WriteSettings
from workbench.cli import main
from workbench.config import ConfigError, Profile, load_settings_file, write_settings_file
from workbench.config.history_section import history_settings
from workbench.config.write import with_profile
from workbench.history import HistorySettings


def test_every_history_setting_is_read(write_settings: WriteSettings) -> None:
    write_settings(
        """
[history]
max_entries = 500
max_age_days = 30.5
keep_samples = false
sample_max_kib = 8
sample_max_rows = 50
"""
    )
    assert history_settings() == HistorySettings(
        max_entries=500,
        max_age_days=30.5,
        keep_samples=False,
        sample_max_bytes=8 * 1024,
        sample_max_rows=50,
    )


def test_zero_means_no_limit_and_left_out_settings_keep_their_defaults(
    write_settings: WriteSettings,
) -> None:
    write_settings("[history]\nmax_entries = 0\nmax_age_days = 0\n")
    settings = history_settings()
    assert settings.max_entries is None and settings.max_age_days is None
    assert settings.keep_samples is HistorySettings().keep_samples
    assert settings.sample_max_bytes == HistorySettings().sample_max_bytes


def test_no_file_or_no_section_gives_the_defaults(write_settings: WriteSettings) -> None:
    assert history_settings() == HistorySettings()
    write_settings('[profiles.work]\nhost = "eu"\n')
    assert load_settings_file().history is None
    assert history_settings() == HistorySettings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_entrys = 5", "no setting 'max_entrys'. Known settings: max_entries, "),
        ("max_entries = -1", "history.max_entries must be a whole number from 0 up"),
        ("max_entries = 2.5", "history.max_entries must be a whole number .* not 2.5"),
        ("max_entries = true", "history.max_entries must be a whole number .* not True"),
        ('max_age_days = "a year"', "history.max_age_days must be a number of days"),
        ("max_age_days = nan", "history.max_age_days must be a number of days"),
        ('keep_samples = "yes"', "history.keep_samples must be true or false"),
        ("sample_max_kib = 0", "history.sample_max_kib must be a whole number from 1 to 16,384"),
        ("sample_max_kib = 99999", "from 1 to 16,384, not 99,999"),
    ],
)
def test_a_wrong_value_names_the_file_and_the_setting(
    write_settings: WriteSettings, text: str, message: str
) -> None:
    path = write_settings(f"[history]\n{text}\n")
    with pytest.raises(ConfigError, match=message) as raised:
        history_settings()
    assert str(raised.value).startswith(f"{path}: ")


def test_history_as_a_value_is_an_error(write_settings: WriteSettings) -> None:
    write_settings('history = "forever"\n')
    with pytest.raises(ConfigError, match=r"'history' must be a \[history\] section"):
        load_settings_file()


def test_config_init_writing_a_profile_keeps_the_history_section(
    write_settings: WriteSettings,
) -> None:
    path = write_settings("[history]\nmax_entries = 1234\nkeep_samples = false\n")
    updated = with_profile(
        load_settings_file(), Profile(name="work", host="https://eu.posthog.com"), make_default=True
    )
    write_settings_file(updated)
    reread = load_settings_file()
    assert reread.history == HistorySettings(max_entries=1234, keep_samples=False)
    assert "work" in reread.profiles
    assert "[history]" in path.read_text()


def test_the_history_command_reports_a_bad_section_without_a_traceback(
    write_settings: WriteSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_settings("[history]\nmax_entries = -3\n")
    assert main(["--config", str(path), "history"]) == 2
    err = capsys.readouterr().err
    assert "history.max_entries must be a whole number from 0 up" in err
    assert "Traceback" not in err


def test_the_app_keeps_history_as_the_settings_file_says(tmp_path: Path) -> None:
    from workbench.app.launch import build_context
    from workbench.connection import ConnectionSettings

    settings = ConnectionSettings(
        host="http://127.0.0.1:1", project_id="1", api_key="phx_" + "a" * 40
    )
    kept = HistorySettings(max_entries=7, keep_samples=False)
    context = build_context(settings, host_label="test", history_settings=kept)
    assert context.open_history is not None
    context.open_history()
    assert context.history is not None
    try:
        assert context.history.settings == kept
    finally:
        context.history.close()


def test_reading_settings_at_start_up_does_not_load_the_history_store(
    write_settings: WriteSettings,
) -> None:
    # The app reads the settings file before its first frame; sqlite3 and the store load after.
    path = write_settings("[history]\nmax_entries = 10\n")
    code = (
        "import sys; from pathlib import Path;"
        "from workbench.config import load_settings_file;"
        f"assert load_settings_file(Path({str(path)!r})).history.max_entries == 10;"
        "print(','.join(m for m in ('sqlite3', 'workbench.history.store') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_config_show_says_what_history_keeps(
    write_settings: WriteSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["config", "show"])
    assert (
        "History:       keeps 50,000 runs for 365 days, samples up to 1,000 rows / 64 KiB  (defaults"
        in capsys.readouterr().out
    )
    write_settings("[history]\nmax_entries = 0\nmax_age_days = 90\nkeep_samples = false\n")
    main(["config", "show"])
    assert (
        "History:       keeps every run for 90 days, no result samples\n" in capsys.readouterr().out
    )
