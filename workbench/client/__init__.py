"""Async client for PostHog's HogQL Query API (headless: httpx + orjson; pyarrow lazily).

Modules: ``client`` (the façade), ``http`` (pooled transport, retries), ``envelope`` (error
mapping), ``errors``, ``models``, ``results`` (response parsing), ``lifecycle`` (submit,
poll, cancel), ``budget`` (local rate buckets), ``limits`` (LIMIT policy), ``arrow``
(columnar form), ``catalog`` (projects, schema, metadata, autocomplete).

Names are resolved lazily (PEP 562): ``from workbench.client import QueryProgress`` loads only
the models, not httpx; ``PostHogClient`` loads the transport on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from workbench.client.budget import (
        RateBudget,
    )
    from workbench.client.client import (
        PostHogClient,
    )
    from workbench.client.errors import (
        ClickHouseError,
        ConcurrencyLimited,
        HogQLError,
        NetworkError,
        NotAuthenticated,
        NotFound,
        OutOfMemory,
        PermissionDenied,
        PostHogError,
        ProtocolError,
        QueryCancelled,
        QueryError,
        QueryTimeout,
        QueryTooSlow,
        QuotaExceeded,
        RateLimited,
        ServerError,
    )
    from workbench.client.lifecycle import (
        PollSchedule,
    )
    from workbench.client.limits import (
        DEFAULT_ROW_LIMIT,
        MAX_ROW_LIMIT,
    )
    from workbench.client.models import (
        Completions,
        DatabaseSchema,
        HogQLMetadata,
        MetadataNotice,
        Project,
        QueryProgress,
        QueryResult,
        SchemaField,
        SchemaTable,
        Suggestion,
    )

_MODULE_OF: dict[str, str] = {
    "RateBudget": "workbench.client.budget",
    "PostHogClient": "workbench.client.client",
    "ClickHouseError": "workbench.client.errors",
    "ConcurrencyLimited": "workbench.client.errors",
    "HogQLError": "workbench.client.errors",
    "NetworkError": "workbench.client.errors",
    "NotAuthenticated": "workbench.client.errors",
    "NotFound": "workbench.client.errors",
    "OutOfMemory": "workbench.client.errors",
    "PermissionDenied": "workbench.client.errors",
    "PostHogError": "workbench.client.errors",
    "ProtocolError": "workbench.client.errors",
    "QueryCancelled": "workbench.client.errors",
    "QueryError": "workbench.client.errors",
    "QueryTimeout": "workbench.client.errors",
    "QueryTooSlow": "workbench.client.errors",
    "QuotaExceeded": "workbench.client.errors",
    "RateLimited": "workbench.client.errors",
    "ServerError": "workbench.client.errors",
    "PollSchedule": "workbench.client.lifecycle",
    "DEFAULT_ROW_LIMIT": "workbench.client.limits",
    "MAX_ROW_LIMIT": "workbench.client.limits",
    "Completions": "workbench.client.models",
    "DatabaseSchema": "workbench.client.models",
    "HogQLMetadata": "workbench.client.models",
    "MetadataNotice": "workbench.client.models",
    "Project": "workbench.client.models",
    "QueryProgress": "workbench.client.models",
    "QueryResult": "workbench.client.models",
    "SchemaField": "workbench.client.models",
    "SchemaTable": "workbench.client.models",
    "Suggestion": "workbench.client.models",
}
"""Public name -> the submodule that defines it."""


__getattr__, __dir__ = lazy_exports(__name__, _MODULE_OF)


__all__ = [
    "DEFAULT_ROW_LIMIT",
    "MAX_ROW_LIMIT",
    "ClickHouseError",
    "Completions",
    "ConcurrencyLimited",
    "DatabaseSchema",
    "HogQLError",
    "HogQLMetadata",
    "MetadataNotice",
    "NetworkError",
    "NotAuthenticated",
    "NotFound",
    "OutOfMemory",
    "PermissionDenied",
    "PollSchedule",
    "PostHogClient",
    "PostHogError",
    "Project",
    "ProtocolError",
    "QueryCancelled",
    "QueryError",
    "QueryProgress",
    "QueryResult",
    "QueryTimeout",
    "QueryTooSlow",
    "QuotaExceeded",
    "RateBudget",
    "RateLimited",
    "SchemaField",
    "SchemaTable",
    "ServerError",
    "Suggestion",
]
