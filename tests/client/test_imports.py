"""What importing the client costs: models and errors without httpx; never pyarrow or a UI."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
{statement}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def loaded_after(statement: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return set(json.loads(proc.stdout))


def test_models_and_errors_do_not_load_httpx() -> None:
    loaded = loaded_after("from workbench.client import QueryProgress, QueryResult, errors")
    assert not loaded & {"httpx", "pyarrow", "textual", "rich", "chdb"}


def test_the_client_loads_httpx_but_not_its_cli_extra_or_pyarrow() -> None:
    loaded = loaded_after("from workbench.client import PostHogClient")
    assert "httpx" in loaded
    assert not loaded & {"pyarrow", "textual", "rich", "click", "pygments", "chdb"}


def test_to_arrow_is_what_loads_pyarrow() -> None:
    statement = (
        "from workbench.client.models import QueryResult\n"
        "r = QueryResult('q', ('a',), ('UInt8',), [[1]], False, True, 10, False, None, None,"
        " None, None, 0.0)\n"
        "r.to_arrow()"
    )
    assert "pyarrow" in loaded_after(statement)
