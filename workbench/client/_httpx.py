"""Import httpx without its command-line extra.

httpx's ``__init__`` runs ``from ._main import main``, which loads click, rich and pygments
whenever they are installed (Textual brings rich): tens of milliseconds and a UI toolkit in
a headless import (``tests/test_import_contract.py``). Marking ``httpx._main`` absent for
the duration of the import makes httpx fall back to its stub ``main``; the HTTP library is
untouched. Imported first by ``workbench.client``'s ``__init__``.
"""

from __future__ import annotations

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        import httpx  # noqa: F401
    finally:
        if sys.modules.get("httpx._main", ...) is None:
            del sys.modules["httpx._main"]  # a later explicit import may load the real one
