"""Host shorthands (``us``, ``eu``) and the ingestion-host mistake, with a suggested fix."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from workbench.config.errors import ConfigError
from workbench.connection import EU_CLOUD, US_CLOUD, normalise_host

HOST_ALIASES = {"us": US_CLOUD, "eu": EU_CLOUD}
"""Short names for PostHog Cloud's two regions, accepted in profiles and by ``--host``."""

INGESTION_SUFFIX = ".i.posthog.com"
"""Hosts ending so only ingest events and serve flags; the Query API lives on the app host."""


def expand_host(value: str, *, where: str = "") -> str:
    """A base URL for ``value`` (an alias or a URL); ``ConfigError`` for an ingestion host.

    ``where`` (e.g. ``" (from --host)"``) is appended to the message.
    """
    text = value.strip()
    url = HOST_ALIASES.get(text.lower()) or normalise_host(text)
    parts = urlsplit(url)
    hostname = (parts.hostname or "").lower()
    if hostname.endswith(INGESTION_SUFFIX):
        app_host = hostname.removesuffix(INGESTION_SUFFIX) + ".posthog.com"
        suggestion = urlunsplit((parts.scheme or "https", app_host, "", "", ""))
        raise ConfigError(
            f"{hostname}{where} only ingests events and serves flags; it does not answer "
            f'queries. Use {app_host} instead (host = "{suggestion}" in a profile, or '
            f"--host {suggestion})."
        )
    return url
