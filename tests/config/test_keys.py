"""Key sources: environment, OS keyring (optional, faked here), a command, the file itself."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.config.conftest import KEY
from tests.config.fakes import FakeKeyring
from workbench.config import KEYRING_SERVICE, CommandKey, ConfigError, EnvKey, InlineKey, KeyringKey
from workbench.config.keys import KeyUnavailable, fetch_key, store_in_keyring

PATH = Path("/settings/config.toml")


def fetch(source: object, *, env: dict[str, str] | None = None, owner_only: bool = True) -> str:
    return fetch_key(
        source,  # type: ignore[arg-type]
        environ=env or {},
        settings_path=PATH,
        owner_only=owner_only,
    )


def python_command(code: str) -> CommandKey:
    return CommandKey((sys.executable, "-c", code))


def test_environment_variable() -> None:
    assert fetch(EnvKey("WORK_KEY"), env={"WORK_KEY": f"  {KEY}\n"}) == KEY
    with pytest.raises(KeyUnavailable, match="environment variable WORK_KEY is not set"):
        fetch(EnvKey("WORK_KEY"), env={"OTHER": KEY})


def test_command_output_first_line_is_the_key() -> None:
    source = python_command(f"print(); print('{KEY}'); print('username: me')")
    assert fetch(source) == KEY


def test_command_runs_once_per_process(tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    code = f"import pathlib; p = pathlib.Path({str(counter)!r}); p.write_text(p.read_text() + 'x' if p.exists() else 'x'); print('{KEY}')"
    assert fetch(python_command(code)) == KEY
    assert fetch(python_command(code)) == KEY
    assert counter.read_text() == "x"


def test_failing_command_reports_its_status_without_its_output() -> None:
    # The key is built at run time so the command line itself does not contain it.
    source = python_command("print('phx_' + 'Zq7' * 14); raise SystemExit(3)")
    with pytest.raises(ConfigError, match="failed with exit status 3") as caught:
        fetch(source)
    assert KEY not in str(caught.value)


def test_silent_command_holds_no_key() -> None:
    with pytest.raises(KeyUnavailable, match="printed nothing"):
        fetch(python_command("pass"))


def test_missing_and_unrunnable_commands(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="was not found: no-such-key-helper"):
        fetch(CommandKey(("no-such-key-helper", "get")))
    script = tmp_path / "helper.sh"
    script.write_text("#!/bin/sh\necho key\n")
    script.chmod(0o600)
    with pytest.raises(ConfigError, match="is not executable"):
        fetch(CommandKey((str(script),)))


def test_command_gets_no_stdin() -> None:
    # A helper reading stdin must see end-of-file, not swallow the user's answers.
    source = python_command(
        f"import sys; data = sys.stdin.read(); print('{KEY}' if data == '' else 'ate')"
    )
    assert fetch(source) == KEY


def test_keyring_reads_from_our_service(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKeyring()
    fake.store[(KEYRING_SERVICE, "work")] = KEY
    monkeypatch.setitem(sys.modules, "keyring", fake)
    assert fetch(KeyringKey("work")) == KEY
    with pytest.raises(KeyUnavailable, match="no key for service 'hogql-workbench', user 'home'"):
        fetch(KeyringKey("home"))


def test_keyring_store_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKeyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    store_in_keyring("work", KEY)
    assert fake.store == {(KEYRING_SERVICE, "work"): KEY}


def test_keyring_absent_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes ``import keyring`` fail
    with pytest.raises(ConfigError, match=r"pip install 'hogql-workbench\[keyring\]'"):
        fetch(KeyringKey("work"))
    with pytest.raises(ConfigError, match="keyring support is not installed"):
        store_in_keyring("work", KEY)


def test_keyring_backend_failure_is_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", FakeKeyring(fail_with=RuntimeError("locked")))
    with pytest.raises(ConfigError, match=r"OS keyring \(RuntimeError: locked\)"):
        fetch(KeyringKey("work"))
    with pytest.raises(ConfigError, match=r"Could not save the key .*locked"):
        store_in_keyring("work", KEY)


def test_inline_key_only_from_an_owner_only_file() -> None:
    assert fetch(InlineKey(KEY), owner_only=True) == KEY
    with pytest.raises(
        KeyUnavailable, match=f"other users can read that file; run: chmod 600 {PATH}"
    ) as caught:
        fetch(InlineKey(KEY), owner_only=False)
    assert KEY not in str(caught.value)
