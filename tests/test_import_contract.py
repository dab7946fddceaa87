"""The headless core never loads Textual or chDB; the CLI's quick paths load neither.

Each check runs in a fresh interpreter, because this test process has long since imported
everything. A static import graph cannot prove that a deferred import stays deferred, so we
look at ``sys.modules`` after the fact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

HEAVY_TOP_LEVEL = ("textual", "rich", "chdb", "hogql_parser", "uvicorn", "pyarrow", "pandas")
"""Packages the headless core and the CLI's quick paths must not load."""

HEADLESS_PACKAGES = (
    "workbench.client",
    "workbench.hogql",
    "workbench.history",
    "workbench.config",
    "workbench.runs",
    "workbench.export",
)
"""Packages whose every module must import without any of ``HEAVY_TOP_LEVEL``."""

HEADLESS_MODULES = (
    "workbench",
    "workbench.cli",
    "workbench.connection",
    "workbench.server.launcher",
)
"""Single modules with the same promise (the launcher starts chDB in a subprocess only)."""

PROBE = """
import importlib, json, pkgutil, sys
{preamble}
for name in {modules!r}:
    module = importlib.import_module(name)
    if name in {walk!r}:
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), name + "."):
            importlib.import_module(info.name)
{action}
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print(json.dumps(loaded))
"""


def heavy_modules_loaded(
    modules: tuple[str, ...], *, preamble: str = "", action: str = ""
) -> list[str]:
    """Import ``modules`` (packages with all their submodules) in a fresh interpreter; list heavy ones."""
    code = PROBE.format(
        modules=modules,
        walk=HEADLESS_PACKAGES,
        heavy=HEAVY_TOP_LEVEL,
        preamble=preamble,
        action=action,
    )
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("package", HEADLESS_PACKAGES + HEADLESS_MODULES)
def test_headless_module_loads_no_ui_or_engine(package: str) -> None:
    assert heavy_modules_loaded((package,)) == []


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_cli_quick_paths_load_no_ui_or_engine(flag: str) -> None:
    action = f"""
import contextlib, io, workbench.cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        workbench.cli.main([{flag!r}])
    except SystemExit:
        pass
"""
    assert heavy_modules_loaded((), action=action) == []


def test_probe_detects_a_forbidden_import() -> None:
    """Guards the guard: if the core imported Textual, the probe would say so."""
    assert "textual" in heavy_modules_loaded(("workbench.connection",), preamble="import textual")


ENGINE_TOP_LEVEL = frozenset({"chdb", "hogql_parser", "uvicorn", "pandas"})
"""The local server's engine: only ``workbench serve`` (a subprocess of the app) loads it."""


def test_app_and_commands_never_load_the_engine() -> None:
    """The app and every CLI command start the local server as a subprocess, never in-process."""
    action = """
for package in ("workbench.app", "workbench.commands"):
    module = importlib.import_module(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
"""
    assert set(heavy_modules_loaded((), action=action)) & ENGINE_TOP_LEVEL == set()
