"""Running queries as plain objects: the registry the app's sidebar is a view of.

Headless: nothing here imports Textual, so the model is testable and reusable.
"""

from __future__ import annotations

from workbench.runs.export_run import ExportTask
from workbench.runs.registry import QueryRun, RunRegistry, RunState

__all__ = ["ExportTask", "QueryRun", "RunRegistry", "RunState"]
