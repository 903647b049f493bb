"""Business rules, called by views and CLI commands alike."""
