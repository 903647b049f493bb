"""CLI commands (being written)."""

COMMANDS = []
