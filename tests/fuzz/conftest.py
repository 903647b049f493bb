"""Fuzz tests post hundreds of forms from one address in one test: lift the rate limits (they
have tests of their own)."""

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}
