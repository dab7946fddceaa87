"""One server answer per word being typed (headless).

PostHog's HogQLAutocomplete answer does not depend on how much of the word is typed: fields
and functions come unfiltered, property names are those *containing* the word. So one answer
serves every later keystroke of the same word, filtered locally (``ranking.rank``), and a
request goes out only when the word's context changes. The key is the text without the word
plus the word's start, so typing or deleting inside the word keeps it while an edit anywhere
else (another table in FROM, a new alias) makes a new one.

An answer is reused for a longer word only: the server may have narrowed it by the word it
saw (property names containing ``$b`` are not all those containing ``$``). An answer marked
``incomplete_list`` (the server cut it at 220) serves its own word only, so a longer word is
asked again and may bring names the cut list missed.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.app.assist.completion import CompletionContext
    from workbench.client.models import Suggestion

CACHE_SIZE = 128
"""Word contexts remembered; enough for moving about a statement and undo/redo."""

PENDING_SECONDS = 11.0
"""A request in flight is waited for this long at most (the app drops it after 10 s)."""

WordKey = tuple[str, int]
"""``(text without the word, the word's start)``."""


def word_key(text: str, context: CompletionContext) -> WordKey:
    """The key of the word at ``context`` in ``text``."""
    return text[: context.start] + text[context.end :], context.start


@dataclass(frozen=True)
class Answer:
    """What the server said for ``word`` (the text between the word's start and the cursor)."""

    word: str
    suggestions: tuple[Suggestion, ...]
    incomplete: bool

    def serves(self, word: str) -> bool:
        """True when this answer holds everything the server would say for ``word``."""
        return word == self.word or (not self.incomplete and word.startswith(self.word))


class AnswerCache:
    """Answers by word context (LRU), and the request in flight, if any."""

    def __init__(self, size: int = CACHE_SIZE, clock: Callable[[], float] = time.monotonic) -> None:
        self._size = size
        self._clock = clock
        self._answers: OrderedDict[WordKey, Answer] = OrderedDict()
        self._pending: tuple[WordKey, str, float] | None = None
        self.requests = 0
        """Requests this cache let go out (:meth:`asking` calls)."""

    def lookup(self, text: str, context: CompletionContext) -> tuple[Suggestion, ...] | None:
        """The answer serving the word at ``context``, else None."""
        key = word_key(text, context)
        answer = self._answers.get(key)
        if answer is None or not answer.serves(context.prefix):
            return None
        self._answers.move_to_end(key)
        return answer.suggestions

    def awaited(self, text: str, context: CompletionContext) -> bool:
        """True when the request in flight will serve this word (typing on while it is out)."""
        if self._pending is None:
            return False
        key, word, since = self._pending
        if self._clock() - since > PENDING_SECONDS:  # lost (cancelled with its screen)
            return False
        return key == word_key(text, context) and context.prefix.startswith(word)

    def asking(self, text: str, context: CompletionContext) -> None:
        """A request for this word goes out (it replaces any other in flight)."""
        self._pending = (word_key(text, context), context.prefix, self._clock())
        self.requests += 1

    def answered(
        self,
        text: str,
        context: CompletionContext,
        suggestions: tuple[Suggestion, ...] | None,
        *,
        incomplete: bool = False,
    ) -> None:
        """The request for this word came back (``suggestions`` None: it failed)."""
        key = word_key(text, context)
        if self._pending is not None and self._pending[0] == key:
            self._pending = None
        if suggestions is None:
            return
        self._answers[key] = Answer(context.prefix, suggestions, incomplete)
        self._answers.move_to_end(key)
        while len(self._answers) > self._size:
            self._answers.popitem(last=False)
