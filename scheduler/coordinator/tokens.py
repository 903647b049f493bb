"""Coordinator routes (being written)."""

from scheduler.coordinator import bp  # noqa: F401
