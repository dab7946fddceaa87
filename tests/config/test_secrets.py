"""The key appears nowhere it should not: ``config show``, error messages, logs (DEBUG).

History: a run made with a profile's key (and with that key pasted into the SQL, so it comes
back in the result and in an error) is recorded, then the SQLite files' bytes are searched.
Exports: the only one today is ``workbench query --output``; the app has no export yet.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.config.conftest import KEY, WriteSettings
from tests.config.fakes import FakeKeyring
from tests.config.test_config_command import workbench
from workbench.commands.config import run_show
from workbench.config import KEYRING_SERVICE, ConfigError, ConnectionFlags, resolve
from workbench.config.probe import ConnectionCheckFailed, check_query_access, fetch_projects
from workbench.config.prompter import Prompter
from workbench.config.setup import run_setup
from workbench.connection import ConnectionError_, ConnectionSettings
from workbench.server.launcher import LocalServer

FRAGMENT = KEY[4:20]
"""A run of the key's secret part: a partial leak counts as a leak."""


def assert_no_key(*texts: str, key: str = KEY) -> None:
    joined = "\n".join(texts)
    assert key not in joined
    assert key[4:20] not in joined


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything every logger writes at DEBUG, as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


@pytest.mark.parametrize("source", ["env", "command", "keyring", "inline"])
def test_config_show_redacts_every_source(
    source: str,
    isolated_home: Path,
    write_settings: WriteSettings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    env = {}
    if source == "env":
        line, env = 'key_env = "MY_KEY"', {"MY_KEY": KEY}
    elif source == "command":
        script = tmp_path / "print_key.py"
        script.write_text(f"print({KEY!r})\n")
        line = f"key_command = {json.dumps([sys.executable, str(script)])}"
    elif source == "keyring":
        line = "key_keyring = true"
    else:
        line = f'key = "{KEY}"'
    write_settings(f'[profiles.default]\nhost = "us"\nproject = 1\n{line}\n')
    if source == "keyring":
        # In-process: the fake keyring cannot cross into a subprocess.
        fake = FakeKeyring()
        fake.store[(KEYRING_SERVICE, "default")] = KEY
        monkeypatch.setitem(sys.modules, "keyring", fake)
        out = io.StringIO()
        assert run_show(argparse.Namespace(), out) == 0
        shown = out.getvalue()
    else:
        proc = workbench("config", "show", home=isolated_home, env=env)
        assert proc.returncode == 0, proc.stderr
        shown = proc.stdout + proc.stderr
    assert f"phx_…({len(KEY)} chars)" in shown
    assert_no_key(shown)


def error_messages(write_settings: WriteSettings, tmp_path: Path) -> list[str]:
    """Provoke every settings mistake while the key is present somewhere; collect messages."""
    messages: list[str] = []
    cases = [
        f"[profiles.default]\nkey = {KEY}\n",  # unquoted key: bad TOML on that line
        f'[profiles.default]\nkey = "{KEY}"\nkey_env = "X"\n',  # two sources
        f'[profiles.default]\nkey = "{KEY}"\nhost = "us.i.posthog.com"\n',
        f'[profiles.default]\nkey = "{KEY}"\nproject = "{KEY}"\n',
        f'[profiles.default]\nkey = ["{KEY}"]\n',
        f"[profiles.default]\nkey_command = \"{sys.executable} -c 'print(0)' {KEY} --fail\"\n",
    ]
    for text in cases:
        write_settings(text, mode=0o600)
        try:
            resolve(environ={}).settings()
        except ConnectionError_ as exc:
            messages.append(str(exc))
    # A readable file: the inline key is refused (warning), and with no fallback, an error.
    write_settings(f'[profiles.default]\nhost = "us"\nproject = 1\nkey = "{KEY}"\n', mode=0o644)
    resolution = resolve(environ={})
    messages.extend(resolution.warnings)
    with pytest.raises(ConfigError) as caught:
        resolution.settings()
    messages.append(str(caught.value))
    # A command that prints the key and then fails.
    write_settings(
        '[profiles.default]\nhost = "us"\nproject = 1\n'
        f'key_command = ["{sys.executable}", "-c", "print(\'phx_\' + \'Zq7\' * 14); exit(4)"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        resolve(environ={}).settings()
    messages.append(str(caught.value))
    # Plain http to another machine with the key set.
    with pytest.raises(ConnectionError_) as caught_http:
        resolve(
            ConnectionFlags(host="http://10.1.2.3", project="1"),
            environ={"POSTHOG_PERSONAL_API_KEY": KEY},
        ).settings()
    messages.append(str(caught_http.value))
    return messages


def test_error_messages_never_hold_the_key(
    write_settings: WriteSettings, tmp_path: Path, debug_log: io.StringIO
) -> None:
    messages = error_messages(write_settings, tmp_path)
    assert len(messages) >= 9
    assert_no_key(*messages, debug_log.getvalue())


@pytest.mark.server
async def test_connection_errors_and_debug_logs_never_hold_the_key(
    local_server: LocalServer, debug_log: io.StringIO
) -> None:
    wrong = "phx_" + "Leak" * 10
    bad = ConnectionSettings(host=local_server.base_url, project_id="1", api_key=wrong)
    with pytest.raises(ConnectionCheckFailed) as caught:
        await fetch_projects(bad)
    good = ConnectionSettings(
        host=local_server.base_url,
        project_id=str(local_server.project_id),
        api_key=local_server.api_key,
    )
    await fetch_projects(good)
    await check_query_access(good)
    logged = debug_log.getvalue()
    assert "httpcore" in logged or "httpx" in logged  # the HTTP stack did log at DEBUG
    assert_no_key(str(caught.value), repr(caught.value), logged, key=wrong)
    assert_no_key(logged, key=local_server.api_key)


@pytest.mark.server
def test_config_init_output_and_logs_never_hold_the_key(
    local_server: LocalServer, settings_path: Path, debug_log: io.StringIO
) -> None:
    out = io.StringIO()
    answers = ["p", local_server.base_url, "1", "THE_KEY", ""]
    run_setup(
        Prompter(io.StringIO("\n".join(answers) + "\n"), out),
        environ={"THE_KEY": local_server.api_key},
    )
    assert_no_key(
        out.getvalue(), debug_log.getvalue(), settings_path.read_text(), key=local_server.api_key
    )


@pytest.mark.server
def test_query_command_verbose_and_its_export_never_hold_the_key(
    local_server: LocalServer, isolated_home: Path, write_settings: WriteSettings, tmp_path: Path
) -> None:
    write_settings(
        f'[profiles.local]\nhost = "{local_server.base_url}"\n'
        f'project = {local_server.project_id}\nkey_env = "LOCAL_KEY"\n'
    )
    for fmt in ("csv", "json"):
        exported = tmp_path / f"result.{fmt}"
        proc = workbench(
            *("-P", "local", "query", "-v", "--format", fmt, "-o", str(exported)),
            "SELECT event, count() AS n FROM events GROUP BY event",
            home=isolated_home,
            env={"LOCAL_KEY": local_server.api_key},
        )
        assert proc.returncode == 0, proc.stderr
        assert "key phx_…" in proc.stderr  # --verbose shows the redacted form
        assert "event" in exported.read_text()
        assert_no_key(proc.stdout, proc.stderr, exported.read_text(), key=local_server.api_key)


def files_bytes(folder: Path, pattern: str) -> bytes:
    """The bytes of every file matching ``pattern`` (the database, its WAL and journal)."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob(pattern)))


@pytest.mark.server
async def test_history_store_never_holds_the_key(
    local_server: LocalServer, write_settings: WriteSettings, tmp_path: Path
) -> None:
    history = pytest.importorskip("workbench.history")
    from workbench.client import PostHogClient, PostHogError

    key = local_server.api_key
    write_settings(
        f'[profiles.local]\nhost = "{local_server.base_url}"\n'
        f'project = {local_server.project_id}\nkey = "{key}"\n'
    )
    settings = resolve(profile="local", environ={}).settings()
    store = history.HistoryStore(tmp_path / "history.sqlite3")
    async with PostHogClient(settings) as client:
        pasted = f"SELECT '{key}' AS pasted, 1 AS n"
        entry = store.record_submitted(
            pasted, host=settings.host, project_id=settings.project_id, client_query_id="q1"
        )
        result = await client.run_query(pasted, mode="blocking", row_limit=10)
        assert result.rows == [[key, 1]]  # the key really is in the result
        store.record_finished(
            entry,
            state="done",
            row_count=len(result.rows),
            columns=result.columns,
            types=result.types,
            rows=result.rows,
        )
        failing = f"SELECT no_such_function('{key}')"
        entry = store.record_submitted(
            failing, host=settings.host, project_id=settings.project_id, client_query_id="q2"
        )
        with pytest.raises(PostHogError) as caught:
            await client.run_query(failing, mode="blocking", row_limit=10)
        store.record_finished(entry, state="failed", error_message=str(caught.value))
    assert store.count() == 2
    store.close()
    stored = files_bytes(tmp_path, "history.sqlite3*")
    assert b"pasted" in stored and b"no_such_function" in stored  # both runs are on disk
    assert key.encode() not in stored and key[4:20].encode() not in stored
