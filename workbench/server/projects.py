"""The one project this server hosts, in PostHog's project serializer shapes."""

from __future__ import annotations

import uuid
from typing import Any

from workbench.server.config import ServerConfig


def project_basic(config: ServerConfig) -> dict[str, Any]:
    """``ProjectBackwardCompatBasicSerializer`` fields, as listed by ``GET /api/projects/``."""
    return {
        "id": config.project_id,
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"workbench-project-{config.project_id}")),
        "organization": str(uuid.uuid5(uuid.NAMESPACE_URL, "workbench-organization")),
        "api_token": f"phc_workbench_demo_{config.project_id}",
        "name": config.project_name,
        "completed_snippet_onboarding": True,
        "has_completed_onboarding_for": {"product_analytics": True},
        "ingested_event": True,
        "is_demo": True,
        "timezone": config.timezone,
        "access_control": False,
    }


def project_detail(config: ServerConfig) -> dict[str, Any]:
    """The fuller object of ``GET /api/projects/@current/`` (a superset of the basic one)."""
    return {
        **project_basic(config),
        "project_id": config.project_id,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        "anonymize_ips": False,
        "week_start_day": 0,
        "person_on_events_querying_enabled": True,
        "modifiers": {},
        "default_modifiers": {},
        "test_account_filters": [],
        "test_account_filters_default_checked": False,
        "path_cleaning_filters": [],
        "data_attributes": [],
        "effective_membership_level": 8,
        "has_group_types": False,
        "live_events_token": None,
    }


def project_list(config: ServerConfig) -> dict[str, Any]:
    """DRF limit/offset page with the single project."""
    return {"count": 1, "next": None, "previous": None, "results": [project_basic(config)]}
