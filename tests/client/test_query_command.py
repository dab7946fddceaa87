"""``workbench query`` end to end over loopback HTTP: formats, input, exit codes, secrets."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from tests.client.fake_posthog import API_KEY, FakePostHog, envelope, serve_in_thread
from tests.client.misbehaving_server import closed_port
from workbench.cli import main


@pytest.fixture
def fake() -> FakePostHog:
    return FakePostHog()


@pytest.fixture
def url(fake: FakePostHog, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in ("POSTHOG_HOST", "POSTHOG_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", API_KEY)
    with serve_in_thread(fake) as base_url:
        yield base_url


def query(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["query", "--host", url, "--project", "1", *args])
    out, err = capsys.readouterr()
    assert API_KEY not in out + err
    return code, out, err


def test_table_output_and_quiet_stderr(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(url, "SELECT event, n FROM events", capsys=capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["event", "n"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["event_0", "0"] and len(lines) == 7
    assert err == ""  # not a terminal: no progress, nothing to note


def test_csv_json_jsonl(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = query(url, "--format", "csv", "SELECT 1", capsys=capsys)
    assert list(csv.reader(io.StringIO(out)))[:2] == [["event", "n"], ["event_0", "0"]]
    _, out, _ = query(url, "--format", "json", "SELECT 1", capsys=capsys)
    assert orjson.loads(out)[1] == {"event": "event_1", "n": 1}
    _, out, _ = query(url, "--format", "jsonl", "SELECT 1", capsys=capsys)
    assert [orjson.loads(line)["n"] for line in out.splitlines()] == [0, 1, 2, 3, 4]


def test_limit_is_added_and_truncation_noted_on_stderr(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = query(
        url, "--limit", "2", "--format", "jsonl", "SELECT e FROM t", capsys=capsys
    )
    assert code == 0
    assert fake.posted_sql() == ["SELECT e FROM t LIMIT 3"]
    assert len(out.splitlines()) == 2
    assert "showing the first 2 rows; more exist" in err and "--limit" in err


def test_sql_from_stdin_and_file(
    url: str,
    fake: FakePostHog,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT from_stdin"))
    assert query(url, "-", capsys=capsys)[0] == 0
    path = tmp_path / "q.sql"
    path.write_text("SELECT from_file\n")
    assert query(url, "-f", str(path), capsys=capsys)[0] == 0
    assert fake.posted_sql() == ["SELECT from_stdin LIMIT 1001", "SELECT from_file LIMIT 1001\n"]


def test_output_file(url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, out, _ = query(url, "--format", "csv", "-o", str(target), "SELECT 1", capsys=capsys)
    assert code == 0 and out == ""
    assert target.read_text().splitlines()[0] == "event,n"


def test_output_into_a_missing_folder_is_refused_before_querying(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = query(url, "-o", str(tmp_path / "nope" / "out.csv"), "SELECT 1", capsys=capsys)
    assert (code, out) == (2, "") and "is not a folder" in err
    assert fake.requests == []


def test_async_flag_polls(url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str]) -> None:
    fake.polls_to_finish = 1  # the CLI polls on the real schedule: first poll after 0.3 s
    code, out, _ = query(url, "--async", "--format", "jsonl", "SELECT 1", capsys=capsys)
    assert code == 0 and len(out.splitlines()) == 5
    assert orjson.loads(fake.sent("POST")[0].content)["refresh"] == "async"
    assert len(fake.sent("GET")) == fake.polls_to_finish


def test_connection_flags_before_the_subcommand(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--host", url, "--project", "1", "query", "SELECT 1"]) == 0


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["SELECT 1", "-f", "x.sql"],
        ["   "],
        ["--limit", "0", "SELECT 1"],
        ["--limit", "50001", "SELECT 1"],
        ["-f", "/nonexistent/q.sql"],
    ],
)
def test_usage_errors_exit_2(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = query(url, *args, capsys=capsys)
    assert code == 2 and out == "" and err.strip() and "Traceback" not in err
    assert fake.requests == []  # refused before anything was sent


def test_plain_http_to_a_remote_host_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", API_KEY)
    code = main(["query", "--host", "http://posthog.example.com", "--project", "1", "SELECT 1"])
    _, err = capsys.readouterr()
    assert code == 2 and "plain http://" in err and "--insecure" in err


def test_hogql_error_exits_1_with_a_caret(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = query(url, "SELECT event,\n  nope FROM events", capsys=capsys)
    assert code == 1 and out == ""
    assert "Unable to resolve field: nope" in err
    assert "line 2, column 3" in err
    assert "\n      nope FROM events\n      ^^^^" in err


@pytest.mark.parametrize(
    ("reply", "exit_code", "message"),
    [
        (envelope(401, "authentication_failed", "Invalid key."), 3, "did not accept the API key"),
        (
            envelope(403, "permission_denied", "API key missing required scope 'query:read'"),
            3,
            "query:read",
        ),
        (
            httpx.Response(429, headers={"Retry-After": "60"}, json={"detail": "Throttled."}),
            4,
            "Rate limited",
        ),
        (
            envelope(429, "throttled", "Too many queries are running right now."),
            4,
            "Too many queries",
        ),
        (envelope(504, "error", "Query has hit the max execution time."), 1, "max execution time"),
        (envelope(500, "error", "ClickHouse error while executing query."), 5, "server error"),
        (httpx.Response(200, html="<html>login</html>"), 5, "web page"),
        (envelope(404, "not_found", "Project not found."), 2, "Project not found"),
    ],
)
def test_errors_exit_with_their_code(
    url: str,
    fake: FakePostHog,
    capsys: pytest.CaptureFixture[str],
    reply: httpx.Response,
    exit_code: int,
    message: str,
) -> None:
    fake.respond_next(reply)
    code, out, err = query(url, "SELECT 1", capsys=capsys)
    assert (code, out) == (exit_code, "")
    assert message in err and "Traceback" not in err


def test_unreachable_host_exits_5(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTHOG_PERSONAL_API_KEY", API_KEY)
    code = main(
        ["query", "--host", f"http://127.0.0.1:{closed_port()}", "--project", "1", "SELECT 1"]
    )
    _, err = capsys.readouterr()
    assert code == 5 and "Connection refused" in err


def test_verbose_logs_requests_but_never_the_key(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.respond_next(envelope(403, "permission_denied", f"echo {API_KEY}"))
    code, _, err = query(url, "--verbose", "SELECT 1", capsys=capsys)  # query() checks the key
    assert code == 3
    assert "POST /api/projects/1/query/ -> 403" in err
    assert "key phx_…(" in err


@pytest.mark.parametrize("mode", ["blocking", "async"])
def test_ctrl_c_cancels_on_the_server(fake: FakePostHog, mode: str) -> None:
    fake.post_delay = 20.0  # a blocking POST hangs: Ctrl-C comes while it waits
    fake.polls_to_finish = 1_000_000  # an async query never ends: Ctrl-C comes while polling
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    env["POSTHOG_PERSONAL_API_KEY"] = API_KEY
    flags = ["--async"] if mode == "async" else []

    def started() -> bool:
        return bool(fake.slow_post_ids if mode == "blocking" else fake.sent("GET"))

    with serve_in_thread(fake) as base_url:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workbench", "query", "--host", base_url, "--project", "1",
             *flags, "SELECT 1"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            for _ in range(1500):  # wait (up to ~30 s on a busy machine) for the query to run
                if started():
                    break
                try:
                    proc.wait(0.02)
                except subprocess.TimeoutExpired:
                    continue
                break
            assert started(), proc.stderr.read() if proc.stderr else ""
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 130
        assert "Cancelled." in err and "Traceback" not in err and out == ""
        posted = fake.slow_post_ids or [
            orjson.loads(r.content)["client_query_id"] for r in fake.sent("POST")
        ]
        assert fake.deleted == posted  # the DELETE named the running query


def test_progress_and_elapsed_only_on_a_terminal(fake: FakePostHog) -> None:
    import pty

    fake.polls_to_finish = 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    env["POSTHOG_PERSONAL_API_KEY"] = API_KEY
    master, terminal = pty.openpty()
    try:
        with serve_in_thread(fake) as base_url:
            proc = subprocess.run(
                [sys.executable, "-m", "workbench", "query", "--host", base_url,
                 "--project", "1", "--async", "--format", "csv", "SELECT 1"],
                env=env, stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=60,
            )  # fmt: skip
        os.close(terminal)
        err = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(master)
    text = err.decode()
    assert proc.returncode == 0
    assert "rows read" in text and "5 rows in" in text
    assert " · 0." in text  # the elapsed time ticks while it runs
    assert proc.stdout.splitlines()[0] == "event,n" and "\x1b" not in proc.stdout


def test_a_reader_that_leaves_early_is_not_an_error(fake: FakePostHog) -> None:
    fake.total_rows = 20_000
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTHOG_")}
    env["POSTHOG_PERSONAL_API_KEY"] = API_KEY
    with serve_in_thread(fake) as base_url:
        proc = subprocess.Popen(
            [sys.executable, "-m", "workbench", "query", "--host", base_url, "--project", "1",
             "--limit", "20000", "--format", "jsonl", "SELECT 1"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # like `| head -n 1`
        err = proc.stderr.read().decode()
        proc.wait(timeout=60)
    assert orjson.loads(first) == {"event": "event_0", "n": 0}
    assert proc.returncode == 0 and "Traceback" not in err and "Broken pipe" not in err


def test_host_and_project_default_from_the_environment(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTHOG_HOST", url)
    monkeypatch.setenv("POSTHOG_PROJECT_ID", "1")
    assert main(["query", "--format", "jsonl", "SELECT 1"]) == 0
    out, _ = capsys.readouterr()
    assert len(out.splitlines()) == 5


def test_repeated_column_names_keep_every_value_in_json(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.columns = ["count()", "count()"]
    fake.types = [["count()", "UInt64"], ["count()", "UInt64"]]
    _, out, _ = query(url, "--format", "jsonl", "SELECT count(), count()", capsys=capsys)
    assert orjson.loads(out.splitlines()[1]) == {"count()": "event_1", "count()_2": 1}


def test_table_right_aligns_numbers(
    url: str, fake: FakePostHog, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.total_rows = 12
    _, out, _ = query(url, "SELECT event, n FROM events", capsys=capsys)
    lines = out.splitlines()
    assert lines[0] == "event      n"  # the header sits over the right-aligned numbers
    assert lines[2] == "event_0    0"
    assert lines[-1] == "event_11  11"
