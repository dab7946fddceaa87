"""The export-all coroutine an async Textual worker runs: ``ExportJob`` to past-tense messages.

Like ``workers.run_query`` it never touches widgets. Cancelling the worker's task cancels
the job, whose client cancels the page query in flight on the server (DELETE); the pages
already written stay in the staging file and the sidecar names where to resume.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from workbench.app.messages import ExportFinished, ExportProgressed, QueryCancelled, QueryFailed

if TYPE_CHECKING:
    from workbench.app.workers import ClientSession, Post
    from workbench.export.formats import Format
    from workbench.export.progress import ExportProgress


@dataclass(frozen=True)
class ExportOrder:
    """What to export: every row of ``sql`` to ``destination``, paged on ``key``.

    ``resume`` continues from the destination's sidecar state; ``page_size`` is rows per
    page query (PostHog's cap unless a test wants more, smaller pages).
    """

    sql: str
    destination: Path
    fmt: Format
    key: str
    resume: bool = False
    page_size: int | None = None
    count_total: bool = True


async def run_export(
    session: ClientSession, post: Post, client_query_id: str, order: ExportOrder
) -> None:
    """Run the export to completion, posting progress, then the summary or the failure."""
    from workbench.export import ExportJob

    try:
        client = await session.client()

        def on_progress(progress: ExportProgress) -> None:
            post(ExportProgressed(client_query_id, progress))

        options: dict[str, Any] = {}
        if order.page_size is not None:
            options["page_size"] = order.page_size
        job = ExportJob(
            # The app's QueryClient protocol is the part of PostHogClient it calls; the job
            # also reads ``budget``, which every real client has.
            cast(Any, client),
            order.sql,
            order.destination,
            fmt=order.fmt,
            key=order.key,
            resume=order.resume,
            count_total=order.count_total,
            on_progress=on_progress,
            **options,
        )
        summary = await job.run()
        post(ExportFinished(client_query_id, summary))
    except asyncio.CancelledError:
        post(QueryCancelled(client_query_id))
        raise
    except Exception as exc:  # an export failure is shown on its entry; it must not end the app
        post(QueryFailed(client_query_id, exc))
