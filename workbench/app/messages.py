"""Past-tense messages that workers post to the screen; handlers there own all state.

Each carries the ``client_query_id`` of the run it concerns; the registry holds the rest.
An export-all run ends with ``ExportFinished``, ``QueryFailed`` or ``QueryCancelled``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from workbench.client import QueryProgress, QueryResult
    from workbench.export.progress import ExportProgress, ExportSummary


class QuerySubmitted(Message):
    """A run was registered and its worker started."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class QueryStarted(Message):
    """The worker sent the request (the run left the queue)."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class QueryProgressed(Message):
    """The server reported progress for a running query."""

    def __init__(self, client_query_id: str, progress: QueryProgress) -> None:
        super().__init__()
        self.client_query_id = client_query_id
        self.progress = progress


class ResultsFetched(Message):
    """Rows arrived; ``display_table`` is the literalised Arrow table for the grid.

    ``result.rows`` is empty: the worker drops the Python rows once the table is built.
    """

    def __init__(self, client_query_id: str, result: QueryResult, display_table: Any) -> None:
        super().__init__()
        self.client_query_id = client_query_id
        self.result = result
        self.display_table = display_table


class QueryFailed(Message):
    """The query failed; ``error`` is a client error or, defensively, anything else."""

    def __init__(self, client_query_id: str, error: BaseException) -> None:
        super().__init__()
        self.client_query_id = client_query_id
        self.error = error


class QueryCancelled(Message):
    """The query's worker was cancelled and the server was asked to cancel it."""

    def __init__(self, client_query_id: str) -> None:
        super().__init__()
        self.client_query_id = client_query_id


class ClientConnected(Message):
    """The client is ready; ``project_name`` is what the server calls the project, if known."""

    def __init__(self, project_name: str | None) -> None:
        super().__init__()
        self.project_name = project_name


class ClientFailed(Message):
    """Connecting (or checking the connection) failed."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class ExportProgressed(Message):
    """An export-all job reported progress (``progress`` is an ``ExportProgress``)."""

    def __init__(self, client_query_id: str, progress: ExportProgress) -> None:
        super().__init__()
        self.client_query_id = client_query_id
        self.progress = progress


class ExportFinished(Message):
    """An export-all wrote its whole file (``summary`` is an ``ExportSummary``)."""

    def __init__(self, client_query_id: str, summary: ExportSummary) -> None:
        super().__init__()
        self.client_query_id = client_query_id
        self.summary = summary
