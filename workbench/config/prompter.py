"""Plain-text questions and answers for ``config init`` (scriptable: two text streams)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TypeVar

from workbench.config.errors import ConfigError
from workbench.config.probe import ConnectionCheckFailed
from workbench.connection import ConnectionError_

MAX_ATTEMPTS = 3
"""Wrong answers to one question before the dialogue gives up (scripted input cannot loop)."""

T = TypeVar("T")


class SetupCancelled(ConfigError):
    """Input ended or an answer stayed wrong; nothing was written."""


@dataclass
class Prompter:
    """Questions on ``output``, answers from ``input``; secrets unechoed on a terminal."""

    input: IO[str]
    output: IO[str]
    read_secret: Callable[[str], str] | None = None
    """Reads a secret after showing a prompt; default: ``getpass`` on a terminal, else a line."""

    def say(self, text: str = "") -> None:
        """One line of output."""
        self.output.write(text + "\n")
        self.output.flush()

    def ask(self, question: str, default: str | None = None) -> str:
        """One answer (the default when it is blank); ``SetupCancelled`` at end of input."""
        suffix = f" [{default}]" if default else ""
        self.output.write(f"{question}{suffix}: ")
        self.output.flush()
        line = self.input.readline()
        if not line:
            self.say()
            raise SetupCancelled("Setup cancelled (input ended); nothing was written.")
        answer = line.strip()
        return answer or (default or "")

    def ask_secret(self, question: str) -> str:
        """A secret: not echoed on a terminal, never repeated back."""
        if self.read_secret is not None:
            return self.read_secret(question + ": ").strip()
        if self.input.isatty():
            return getpass.getpass(question + ": ").strip()
        return self.ask(question)

    def confirm(self, question: str, *, default: bool) -> bool:
        """A yes/no answer; blank means ``default``."""
        answer = self.ask(question + (" [Y/n]" if default else " [y/N]"))
        return default if not answer else answer.lower().startswith("y")


def ask_until_valid(prompter: Prompter, attempt: Callable[[], T]) -> T:
    """Run ``attempt`` until it returns; a ``ConnectionError_`` is shown and it asks again.

    A cancelled dialogue or a failed connection test is final and passes through.
    """
    for _ in range(MAX_ATTEMPTS - 1):
        try:
            return attempt()
        except (SetupCancelled, ConnectionCheckFailed):
            raise
        except ConnectionError_ as exc:
            prompter.say(f"  {exc}")
    try:
        return attempt()
    except (SetupCancelled, ConnectionCheckFailed):
        raise
    except ConnectionError_ as exc:
        raise SetupCancelled(f"{exc}\nSetup cancelled; nothing was written.") from None
