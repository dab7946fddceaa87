"""A stand-in for the optional ``keyring`` package (not installed in the dev environment)."""

from __future__ import annotations

import types


class FakeKeyring(types.ModuleType):
    """Just enough of ``keyring``: ``get_password``/``set_password`` over a dict."""

    def __init__(self, *, fail_with: Exception | None = None) -> None:
        super().__init__("keyring")
        self.store: dict[tuple[str, str], str] = {}
        self.fail_with = fail_with

    def get_password(self, service: str, username: str) -> str | None:
        if self.fail_with is not None:
            raise self.fail_with
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.store[(service, username)] = password
