"""Exports: query results to CSV, TSV, JSON, JSONL and Parquet files, and past the 50,000-row cap.

Headless (no Textual); pyarrow is imported only when Parquet is written. Modules: ``formats``
(row encoders), ``parquet`` (Arrow schema and staging), ``files`` (atomic files, errors),
``write`` (a result in memory to a file or the clipboard), ``keyset`` (page SQL and tie
handling), ``state`` (the resume sidecar), ``progress`` (reports), ``export_all`` (the streaming
``ExportJob``).
Names are resolved lazily (PEP 562), as in ``workbench.client``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from workbench.export.export_all import ExportJob
    from workbench.export.files import ExportError
    from workbench.export.formats import FORMATS, Format, format_for_path
    from workbench.export.progress import ExportProgress, ExportSummary
    from workbench.export.write import clipboard_text, encode_rows, write_rows

_MODULE_OF: dict[str, str] = {
    "ExportJob": "workbench.export.export_all",
    "ExportProgress": "workbench.export.progress",
    "ExportSummary": "workbench.export.progress",
    "ExportError": "workbench.export.files",
    "FORMATS": "workbench.export.formats",
    "Format": "workbench.export.formats",
    "format_for_path": "workbench.export.formats",
    "clipboard_text": "workbench.export.write",
    "encode_rows": "workbench.export.write",
    "write_rows": "workbench.export.write",
}
"""Public name -> the submodule that defines it."""


__getattr__, __dir__ = lazy_exports(__name__, _MODULE_OF)


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportJob",
    "ExportProgress",
    "ExportSummary",
    "Format",
    "clipboard_text",
    "encode_rows",
    "format_for_path",
    "write_rows",
]
