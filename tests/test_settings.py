"""Settings fail fast on values production cannot run with."""

import secrets

import pytest
from pydantic import ValidationError

from cooplab.settings import DEFAULT_SECRET, Settings


@pytest.mark.parametrize(
    "secret",
    [
        DEFAULT_SECRET,
        "a" * 32,
        " " * 40,
        "\t" * 32,
        "ab" * 32,
        "abcd" * 16,
        "0123456789" * 2,  # too short
        secrets.token_hex(20)[:20] + " " + secrets.token_hex(20),  # whitespace inside
        "password" * 5,
    ],
)
def test_production_secret_needs_real_entropy(secret):
    with pytest.raises(ValidationError, match="COOPLAB_SECRET_KEY"):
        Settings(env="production", secret_key=secret)


@pytest.mark.parametrize(
    "secret",
    [secrets.token_hex(16), secrets.token_hex(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)],
)
def test_a_random_production_secret_is_taken(secret):
    assert Settings(env="production", secret_key=secret).secret_key == secret
