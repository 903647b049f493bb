"""CLI commands (being written)."""

from scheduler.cli import tour_group  # noqa: F401
