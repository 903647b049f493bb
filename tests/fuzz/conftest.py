"""Fuzz tests post hundreds of forms from one address in one test: lift the rate limits (they
have tests of their own). Command-line fuzz tests write their input through ``file_with``."""

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def file_with(tmp_path):
    """Write the given bytes to a file and return its path: input for the commands under test."""
    path = tmp_path / "input.json"

    def write(content: bytes) -> str:
        path.write_bytes(content)
        return str(path)

    return write
