"""Async client for PostHog's HogQL Query API (headless: httpx + orjson; pyarrow lazily).

Modules: ``client`` (the façade), ``http`` (pooled transport, retries), ``envelope`` (error
mapping), ``errors``, ``models``, ``results`` (response parsing), ``lifecycle`` (submit,
poll, cancel), ``budget`` (local rate buckets), ``limits`` (LIMIT policy), ``arrow``
(columnar form), ``catalog`` (projects, schema, metadata, autocomplete).
"""

from __future__ import annotations

from workbench.client import _httpx  # noqa: F401  (first: keeps httpx's CLI extra unloaded)

# isort: split
from workbench.client.budget import RateBudget
from workbench.client.client import PostHogClient
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
from workbench.client.lifecycle import PollSchedule
from workbench.client.limits import DEFAULT_ROW_LIMIT, MAX_ROW_LIMIT
from workbench.client.models import (
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

__all__ = [
    "DEFAULT_ROW_LIMIT",
    "MAX_ROW_LIMIT",
    "ClickHouseError",
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
