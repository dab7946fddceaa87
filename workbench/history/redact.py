"""Keep secrets out of the history file.

The store has no parameter for an API key; these guards catch keys pasted into text we do
store (SQL, names, error messages, sample values) and credentials embedded in a host URL.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

SECRET_KEY_SHAPE = re.compile(r"\b(ph[xs]_)[A-Za-z0-9_-]{8,}")
"""Personal (``phx_``) and secret (``phs_``) PostHog keys. Public project tokens (``phc_``)
are deliberately kept: they are not secrets and appear in event data people filter on."""

MASK = "…"
"""What replaces the secret part of a key (the prefix stays, so the text still reads)."""


def scrub_secrets(text: str) -> str:
    """``text`` with every key-shaped substring reduced to its prefix and ``…``."""
    if "ph" not in text:  # fast path: recording must stay cheap
        return text
    return SECRET_KEY_SHAPE.sub(lambda match: match.group(1) + MASK, text)


def scrub_optional(text: str | None) -> str | None:
    """``scrub_secrets`` for optional fields."""
    return None if text is None else scrub_secrets(text)


def clean_host(host: str) -> str:
    """The host URL without user info, query string or fragment (places a token could hide)."""
    host = host.strip()
    try:
        parts = urlsplit(host)
    except ValueError:
        return scrub_secrets(host)
    if not parts.scheme or not parts.netloc:
        return scrub_secrets(host)
    netloc = parts.hostname or ""
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return scrub_secrets(urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", "")))
