"""PostHog's error envelope ``{type, code, detail, attr, extra?}`` as one exception type.

Every failure the server reports is an :class:`ApiError`; the app turns it into a JSON
response. Details never contain the API key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiError(Exception):
    """An HTTP error in PostHog's (drf-exceptions-hog) envelope.

    ``status`` is the HTTP status; ``headers`` are extra response headers (e.g. Retry-After).
    ``extra`` is included in the body only when it is not None.
    """

    status: int
    type: str
    code: str
    detail: str
    attr: str | None = None
    extra: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.detail}"

    def body(self) -> dict[str, Any]:
        """The JSON body PostHog sends for this error."""
        envelope: dict[str, Any] = {
            "type": self.type,
            "code": self.code,
            "detail": self.detail,
            "attr": self.attr,
        }
        if self.extra is not None:
            envelope["extra"] = dict(self.extra)
        return envelope


def parse_error(message: str) -> ApiError:
    """400 for a body that is not JSON or does not fit the QueryRequest schema."""
    return ApiError(400, "invalid_request", "parse_error", f"JSON parse error - {message}")


def validation_error(detail: str, code: str = "invalid_input", attr: str | None = None) -> ApiError:
    """400 ``validation_error`` (DRF's ``invalid`` code is renamed ``invalid_input``)."""
    return ApiError(400, "validation_error", code, detail, attr)


def not_found(detail: str = "Not found.") -> ApiError:
    """404 ``not_found``."""
    return ApiError(404, "invalid_request", "not_found", detail)


def method_not_allowed(method: str) -> ApiError:
    """405 as DRF words it."""
    return ApiError(405, "invalid_request", "method_not_allowed", f'Method "{method}" not allowed.')


def not_authenticated() -> ApiError:
    """401 when the request carries no credentials."""
    return ApiError(
        401,
        "authentication_error",
        "not_authenticated",
        "Authentication credentials were not provided.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def authentication_failed() -> ApiError:
    """401 for an unknown personal API key."""
    return ApiError(
        401,
        "authentication_error",
        "authentication_failed",
        "Personal API key found in request Authorization header is invalid.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def permission_denied(detail: str) -> ApiError:
    """403 ``permission_denied`` (missing scope, other project)."""
    return ApiError(403, "authentication_error", "permission_denied", detail)


def throttled(wait_seconds: int | None, detail: str | None = None) -> ApiError:
    """429 ``throttled``; ``Retry-After`` only when ``wait_seconds`` is known."""
    if wait_seconds is None:
        return ApiError(429, "throttled_error", "throttled", detail or "Request was throttled.")
    unit = "second" if wait_seconds == 1 else "seconds"
    return ApiError(
        429,
        "throttled_error",
        "throttled",
        detail or f"Request was throttled. Expected available in {wait_seconds} {unit}.",
        headers={"Retry-After": str(wait_seconds)},
    )


def concurrency_limited() -> ApiError:
    """429 when the project already runs its maximum of queries; PostHog sends no Retry-After."""
    return ApiError(
        429,
        "throttled_error",
        "throttled",
        "Too many queries are running right now — please try again in a moment.",
    )


def server_error(detail: str = "A server error occurred.", code: str = "error") -> ApiError:
    """500 ``server_error``; never carries a traceback."""
    return ApiError(500, "server_error", code, detail)
