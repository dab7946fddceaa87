"""The ``workbench config init`` dialogue: ask, test the connection, then write the file.

The key is read without echo on a terminal, never printed, and written to the file only
when the user chose that. Nothing is written unless the key can list projects (or the user
named the project) and run a query there; ``check=False`` skips the test (offline setup).
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.config.errors import ConfigError
from workbench.config.hosts import HOST_ALIASES, expand_host
from workbench.config.keys import command_key, load_keyring, store_in_keyring
from workbench.config.load import command_argv, load_settings_file, project_value
from workbench.config.model import CommandKey, EnvKey, InlineKey, KeyringKey, KeySource, Profile
from workbench.config.probe import (
    EXIT_AUTH,
    ConnectionCheckFailed,
    check_query_access,
    fetch_projects,
)
from workbench.config.prompter import Prompter, SetupCancelled, ask_until_valid
from workbench.config.write import with_profile, write_settings_file
from workbench.connection import ENV_API_KEY, ConnectionError_, ConnectionSettings, check_host_url

if TYPE_CHECKING:
    import httpx

    from workbench.client import Project

PROFILE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
"""Profile names usable after ``-P`` without quoting."""

KEY_SOURCE_MENU = (
    ("env", f"an environment variable (e.g. {ENV_API_KEY})"),
    ("keyring", "the OS keyring (needs the keyring extra)"),
    ("command", "a command that prints it (pass, op, security, ...)"),
    ("file", "this settings file (readable by you only)"),
)
"""Where the key may live, in menu order: (choice, description)."""


@dataclass(frozen=True)
class SetupResult:
    """What ``run_setup`` wrote: the file, the profile, whether it is now the default."""

    path: Path
    profile: Profile
    is_default: bool
    project: Project | None = None


@dataclass
class KeyChoice:
    """The chosen key source and the key to test with (not kept unless the source is the file)."""

    source: KeySource
    key: str


def run_setup(
    prompter: Prompter,
    *,
    path: Path | None = None,
    profile_name: str | None = None,
    environ: Mapping[str, str],
    check: bool = True,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SetupResult:
    """Ask for a profile, test it (unless ``check`` is False) and save it.

    ``ConnectionCheckFailed`` when the test fails, ``SetupCancelled`` when input ends or an
    answer stays wrong; either way the file is untouched.
    """
    settings_file = load_settings_file(path)
    prompter.say(f"Setting up a connection profile in {settings_file.path}")
    name = ask_profile_name(prompter, settings_file.profile_names, profile_name)
    host = ask_until_valid(prompter, lambda: ask_host(prompter))
    choice = ask_until_valid(
        prompter, lambda: ask_key_source(prompter, name, environ, test_key=check)
    )
    project: Project | None = None
    if check:
        settings = ConnectionSettings(
            host=host.url, project_id="@current", api_key=choice.key, insecure=host.insecure
        )
        project_id = choose_project(prompter, settings, transport)
        settings = dataclasses.replace(settings, project_id=project_id)
        project = asyncio.run(check_query_access(settings, transport=transport))
        named = f" ({project.name})" if project is not None else ""
        prompter.say(f"✓ The key can run HogQL queries in project {project_id}{named}.")
    else:
        project_id = ask_until_valid(prompter, lambda: ask_project_id(prompter, None))
    profile = Profile(
        name=name,
        host=host.written,
        project=project_id,
        key=choice.source,
        insecure=host.insecure,
    )
    others = [n for n in settings_file.profile_names if n != name]
    make_default = (
        not others
        or settings_file.default_profile == name
        or prompter.confirm(f"Make {name!r} the default profile?", default=False)
    )
    if isinstance(choice.source, KeyringKey):
        store_in_keyring(choice.source.username, choice.key)
        prompter.say(f"Saved the key in the OS keyring as user {choice.source.username!r}.")
    written = write_settings_file(with_profile(settings_file, profile, make_default=make_default))
    how = "workbench" if make_default else f"workbench -P {name}"
    prompter.say(f"Saved profile {name!r} to {written} (readable by you only). Open it: {how}")
    return SetupResult(path=written, profile=profile, is_default=make_default, project=project)


def ask_profile_name(prompter: Prompter, existing: list[str], given: str | None) -> str:
    """A valid profile name (``given`` by ``-P``, else asked); replacing one needs a yes."""

    def check(name: str) -> str:
        if not PROFILE_NAME.match(name):
            raise ConfigError(
                f"{name!r} cannot be a profile name: use letters, digits, '.', '_' or '-'."
            )
        if name in existing and not prompter.confirm(
            f"Profile {name!r} exists. Replace it?", default=False
        ):
            raise SetupCancelled("Kept the existing profile; nothing was written.")
        return name

    if given is not None:
        return check(given)
    default = None if existing else "default"
    return ask_until_valid(prompter, lambda: check(prompter.ask("Profile name", default=default)))


@dataclass(frozen=True)
class HostAnswer:
    """The host as the file will say it, its base URL, and whether plain http was allowed."""

    written: str
    url: str
    insecure: bool = False


def ask_host(prompter: Prompter) -> HostAnswer:
    """The host answer: ``us``/``eu`` stay short in the file, URLs are normalised.

    Plain http to another machine needs an explicit yes: it would send the key unencrypted.
    """
    answer = prompter.ask("PostHog host: us, eu, or your instance's URL", default="us")
    url = expand_host(answer)
    written = answer.lower() if answer.lower() in HOST_ALIASES else url
    try:
        check_host_url(url)
    except ConnectionError_:
        check_host_url(url, insecure=True)  # anything still wrong is not about http
        question = f"{url} uses plain http: your key would cross the network unencrypted. Allow it?"
        if not prompter.confirm(question, default=False):
            raise
        return HostAnswer(written, url, insecure=True)
    return HostAnswer(written, url)


def ask_key_source(
    prompter: Prompter, profile_name: str, environ: Mapping[str, str], *, test_key: bool
) -> KeyChoice:
    """Where the key lives, and the key itself (to test with, or to store).

    Without ``test_key`` an environment variable or command is saved as given, unread.
    """
    prompter.say("Where should the personal API key (scope query:read) come from?")
    for number, (_, description) in enumerate(KEY_SOURCE_MENU, start=1):
        prompter.say(f"  {number}) {description}")
    answer = prompter.ask("Choice", default="1")
    choices = {str(n): choice for n, (choice, _) in enumerate(KEY_SOURCE_MENU, start=1)}
    choices.update({choice: choice for choice, _ in KEY_SOURCE_MENU})
    kind = choices.get(answer.lower())
    if kind is None:
        raise ConfigError(f"Answer 1 to {len(KEY_SOURCE_MENU)}.")
    if kind == "env":
        variable = prompter.ask("Environment variable", default=ENV_API_KEY)
        key = environ.get(variable, "").strip()
        if not key and test_key:
            prompter.say(f"{variable} is not set here; paste the key to test it (not saved).")
            key = ask_key(prompter)
        return KeyChoice(EnvKey(variable), key)
    if kind == "keyring":
        load_keyring()  # fails with the install hint before the key is typed
        return KeyChoice(KeyringKey(profile_name), ask_key(prompter))
    if kind == "command":
        argv = command_argv(prompter.ask("Command that prints the key"), "key command")
        source = CommandKey(argv)
        return KeyChoice(source, command_key(source) if test_key else "")
    return file_key(prompter)


def file_key(prompter: Prompter) -> KeyChoice:
    """The key typed in, to be written to the (0600) settings file."""
    key = ask_key(prompter)
    return KeyChoice(InlineKey(key), key)


def ask_key(prompter: Prompter) -> str:
    """A pasted personal API key; project keys (``phc_``) cannot query and are refused."""
    key = prompter.ask_secret("Personal API key")
    if not key:
        raise ConfigError("No key given.")
    if key.startswith("phc_"):
        raise ConfigError(
            "That is a project API key (phc_...), which only sends events. Create a personal "
            "API key (phx_...) with the query:read scope under Settings → Personal API keys."
        )
    return key


def choose_project(
    prompter: Prompter,
    settings: ConnectionSettings,
    transport: httpx.AsyncBaseTransport | None,
) -> str:
    """List the key's projects and let the user pick one (or type an id without project:read)."""
    try:
        projects = asyncio.run(fetch_projects(settings, transport=transport))
    except ConnectionCheckFailed as exc:
        if exc.exit_code != EXIT_AUTH or "project:read" not in str(exc):
            raise
        prompter.say(str(exc))
        return ask_until_valid(prompter, lambda: ask_project_id(prompter, None))
    if not projects:
        raise ConnectionCheckFailed(
            f"The key can see no projects on {settings.host}.", exit_code=EXIT_AUTH
        )
    prompter.say(f"✓ Connected to {settings.host}. Projects this key can see:")
    for project in projects:
        org = f"  ({project.organization})" if project.organization else ""
        prompter.say(f"  {project.id:>8}  {project.name}{org}")
    ids = [str(project.id) for project in projects]
    return ask_until_valid(prompter, lambda: ask_project_id(prompter, ids))


def ask_project_id(prompter: Prompter, known: list[str] | None) -> str:
    """A project id (one of ``known`` when given) or ``@current``."""
    default = known[0] if known else "@current"
    answer = prompter.ask("Project id (or @current)", default=default)
    project = project_value(answer, "Project") or default
    if known is not None and project != "@current" and project not in known:
        raise ConfigError(f"{project} is not among the projects listed above.")
    return project
