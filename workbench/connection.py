"""Connection settings: which PostHog to talk to and with which key.

Read from command-line flags first, then the settings file's profile (``workbench.config``),
then the environment. The key is held here and in
the client's ``Authorization`` header only; ``repr`` never shows it.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from workbench.config.resolve import Resolution

ENV_API_KEY = "POSTHOG_PERSONAL_API_KEY"
"""Environment variable holding the personal API key (PostHog's own docs use this name)."""
ENV_HOST = "POSTHOG_HOST"
"""Environment variable with the default host URL."""
ENV_PROJECT_ID = "POSTHOG_PROJECT_ID"
"""Environment variable with the default project id."""

US_CLOUD = "https://us.posthog.com"
"""PostHog Cloud US: the app host that serves the Query API."""
EU_CLOUD = "https://eu.posthog.com"
"""PostHog Cloud EU."""


class ConnectionError_(ValueError):
    """Connection settings are missing or unsafe; the message says what to do."""


@dataclass(frozen=True)
class ConnectionSettings:
    """Where to connect: ``host`` is a base URL without a trailing slash.

    ``project_id`` is an integer id as a string, or ``"@current"`` (the key owner's current
    project). ``insecure`` allows plain ``http://`` to a non-loopback host.
    """

    host: str
    project_id: str
    api_key: str = field(repr=False)
    insecure: bool = False

    def __post_init__(self) -> None:
        check_host_url(self.host, insecure=self.insecure)

    @property
    def redacted_key(self) -> str:
        """The key as it may be shown: its prefix and length, never the secret part."""
        return redact_key(self.api_key)


def redact_key(key: str) -> str:
    """``phx_…(40 chars)``: enough to tell keys apart, useless to an attacker."""
    if not key:
        return "(none)"
    prefix = key[:4] if key.startswith(("phx_", "pha_", "phc_")) else ""
    return f"{prefix}…({len(key)} chars)"


def is_loopback_host(hostname: str) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if hostname.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(hostname.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host_url(url: str, *, insecure: bool = False) -> None:
    """Raise ``ConnectionError_`` unless ``url`` is an http(s) base URL we may send a key to."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConnectionError_(
            f"The host {url!r} is not a URL. Use the full address, e.g. {US_CLOUD} or "
            f"{EU_CLOUD} (not the *.i.posthog.com ingestion hosts)."
        )
    if parts.hostname.endswith(".i.posthog.com"):
        raise ConnectionError_(
            f"{parts.hostname} only ingests events and serves flags; queries go to the app "
            f"host: {US_CLOUD} or {EU_CLOUD}."
        )
    if parts.scheme == "http" and not insecure and not is_loopback_host(parts.hostname):
        raise ConnectionError_(
            f"Refusing to send your API key over plain http:// to {parts.hostname}. Use "
            "https://, or pass --insecure if you really mean it."
        )


def normalise_host(url: str) -> str:
    """Strip whitespace and trailing slashes; add ``https://`` when no scheme is given."""
    url = url.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    return url


def settings_from(
    *,
    host: str | None,
    project_id: str | None,
    insecure: bool = False,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> ConnectionSettings:
    """Build settings from flags, then the settings file's profile, then the environment.

    A flag wins only when given (``None`` is not given). ``profile`` picks a profile (else
    the file's default, if any); ``config_path`` replaces the default settings file. Raises
    ``ConnectionError_`` (``workbench.config.ConfigError`` for file and profile mistakes)
    with a plain-words explanation of what is missing or wrong.
    """
    return resolution_from(
        host=host,
        project_id=project_id,
        insecure=insecure,
        environ=environ,
        profile=profile,
        config_path=config_path,
    ).settings()


def resolution_from(
    *,
    host: str | None,
    project_id: str | None,
    insecure: bool = False,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    config_path: str | os.PathLike[str] | None = None,
) -> Resolution:
    """What ``settings_from`` resolves, with the settings file it read (for its other
    sections, e.g. ``[history]``, without reading the file again)."""
    from pathlib import Path

    # Deferred: the config package imports this module.
    from workbench.config.resolve import ConnectionFlags, resolve

    flags = ConnectionFlags(host=host, project=project_id, insecure=insecure)
    path = Path(config_path) if config_path is not None else None
    return resolve(flags, profile=profile, config_path=path, environ=environ)


def how_to_connect(missing: list[str]) -> str:
    """The explanation shown when connection settings are incomplete."""
    lines = ["Not connected: HogQL Workbench needs " + "; ".join(missing) + ".", ""]
    lines += [
        "To connect to PostHog Cloud (use eu.posthog.com for the EU region):",
        f"  export {ENV_API_KEY}=phx_...   # Settings → Personal API keys, scope query:read",
        f"  workbench --host {US_CLOUD} --project 12345",
        "",
        "Or try it offline, with no account, on the built-in demo data:",
        "  workbench --demo",
    ]
    return "\n".join(lines)
