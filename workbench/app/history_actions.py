"""Glue for the main screen: open the history browser, then act on what it dismisses with.

The main screen's F8 / ctrl+r action needs only::

    browser = history_browser_for(self.context)
    if browser is None:
        self.notify("Query history is off in this session.", markup=False)
    else:
        self.app.push_screen(browser, partial(apply_history_choice, self))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.app.buffers import SavedBuffer
from workbench.app.history_query import HistoryChoice

if TYPE_CHECKING:
    from workbench.app.context import WorkbenchContext
    from workbench.app.screens.history_browser import HistoryBrowser
    from workbench.app.screens.runs_screen import RunsScreen


def history_browser_for(context: WorkbenchContext) -> HistoryBrowser | None:
    """A browser over the context's history, scoped to the connection's project (None when
    history is off)."""
    from workbench.app.screens.history_browser import HistoryBrowser

    if context.history is None:
        return None
    recorder = context.history_recorder
    return HistoryBrowser(
        context.history,
        project_id=None if recorder is None else recorder.project_id,
        host=None if recorder is None else recorder.host,
        clock=context.wall_clock,
    )


def tab_title(choice: HistoryChoice) -> str:
    """The new tab's title: the entry's name, else ``history #ID``."""
    return choice.name or f"history #{choice.entry_id}"


async def apply_history_choice(screen: RunsScreen, choice: HistoryChoice | None) -> None:
    """Open the chosen SQL in a new editor tab; for ``run``, run it from that tab too."""
    if choice is None:
        return
    editor = await screen.editor_tabs.add_buffer(
        SavedBuffer(title=tab_title(choice), text=choice.sql)
    )
    if choice.action == "run":
        screen.submit(choice.sql, editor_id=editor.id or "", sql_offset=0)
