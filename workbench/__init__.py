"""HogQL Workbench: a terminal workbench for exploring PostHog data with HogQL."""

__version__ = "0.1.0"
