"""httpx, imported without its command-line extra. Use ``from workbench.client._httpx import httpx``.

httpx's ``__init__`` runs ``from ._main import main``, which loads click, rich and pygments
whenever they are installed (Textual brings rich): tens of milliseconds and a UI toolkit in
a headless import (``tests/test_import_contract.py``). Marking ``httpx._main`` absent for
the duration of the import makes httpx fall back to its stub ``main``; the HTTP library is
untouched. If something imported httpx before us, this is a no-op.
"""

from __future__ import annotations

import sys

_CLI_MODULE = "httpx._main"
"""httpx's command-line module: the one that drags in click, rich and pygments."""

_blocked = "httpx" not in sys.modules and _CLI_MODULE not in sys.modules
if _blocked:
    sys.modules[_CLI_MODULE] = None  # type: ignore[assignment]
try:
    import httpx as httpx
finally:
    if _blocked and sys.modules.get(_CLI_MODULE, ...) is None:
        del sys.modules[_CLI_MODULE]  # a later explicit import may load the real one

__all__ = ["httpx"]
