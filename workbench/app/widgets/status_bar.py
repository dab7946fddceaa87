"""The status bar: host, project, rate budget left, connection state. Never the key."""

from __future__ import annotations

from textual.widgets import Static


class StatusBar(Static):
    """One line; the screen sets its parts and it renders them."""

    def __init__(self, host: str, project: str, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)
        self.host = host
        self.project = project
        self.project_name: str | None = None
        self.connection_state = "connecting…"
        self.budget_text = ""
        self.assist_text = ""
        """Editor intelligence's request count and fallback state (issue 8)."""
        self.note = ""

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Render the parts into one line."""
        project = f"project {self.project}"
        if self.project_name:
            project += f" ({self.project_name})"
        parts = [self.host, project, self.connection_state]
        if self.budget_text:
            parts.append(self.budget_text)
        if self.assist_text:
            parts.append(self.assist_text)
        if self.note:
            parts.append(self.note)
        self.update("  │  ".join(parts))

    def set_connection_state(self, state: str, project_name: str | None = None) -> None:
        self.connection_state = state
        if project_name:
            self.project_name = project_name
        self.redraw()

    def set_budget(self, text: str) -> None:
        self.budget_text = text
        self.redraw()

    def set_assist(self, text: str) -> None:
        if text != self.assist_text:
            self.assist_text = text
            self.redraw()
