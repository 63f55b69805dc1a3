"""One typed settings object, read from the environment with the prefix COOPLAB_."""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "development-only-not-secret"


#: What a production secret needs: length, distinct characters, and Shannon entropy per character
#: (a random hex key has about 3.5-4 bits; "aaaa..." has 0, "abab..." 1).
SECRET_MIN_LENGTH = 32
SECRET_MIN_DISTINCT = 10
SECRET_MIN_BITS_PER_CHAR = 3.0


def random_enough(secret: str) -> bool:
    """Whether `secret` looks like a random key: long enough, no whitespace, many distinct
    characters and enough entropy per character (not the development default)."""
    if secret == DEFAULT_SECRET or len(secret) < SECRET_MIN_LENGTH or any(c.isspace() for c in secret):
        return False
    counts = Counter(secret)
    if len(counts) < SECRET_MIN_DISTINCT:
        return False
    bits = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return bits >= SECRET_MIN_BITS_PER_CHAR


class Settings(BaseSettings):
    """Every setting of cooplab; docs/configuration.md lists them all."""

    model_config = SettingsConfigDict(env_prefix="COOPLAB_", extra="ignore")

    database_url: str = Field(
        "sqlite:///var/cooplab.sqlite3",
        description="SQLAlchemy URL of the database; SQLite by default, "
        "postgresql+psycopg://user@host/db for PostgreSQL.",
    )
    env: str = Field("development", description="development or production.")
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the web server listens on.")
    default_language: str = Field("ru", description="Language of the web UI: ru, en or uz.")
    page_size: int = Field(25, ge=1, le=500, description="Rows per page in lists.")
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="Largest spreadsheet an import accepts, in bytes."
    )
    sql_echo: bool = Field(False, description="Log every SQL statement (debugging).")
    sqlite_synchronous: Literal["full", "normal"] = Field(
        "full",
        description="SQLite's synchronous mode: full (a commit survives a power cut) or normal "
        "(the last commits before a power cut may be lost; the file is never corrupted).",
    )
    sqlite_busy_seconds: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="How long a SQLite write waits for another one to finish, in seconds, "
        "before its request is answered 503 (try again).",
    )
    secret_key: str = Field(
        DEFAULT_SECRET,
        description="Key for hashing session ids and API tokens; required in production.",
    )
    session_hours: int = Field(12, ge=1, le=24 * 30, description="Hours a web sign-in lasts.")
    login_max_failures: int = Field(
        5, ge=1, le=1000, description="Failed sign-ins per e-mail or address before a pause."
    )
    login_window_seconds: int = Field(
        900, ge=10, description="Window in which failed sign-ins are counted, in seconds."
    )
    public_read: bool = Field(
        True, description="Visitors who are not signed in may read public registry data."
    )
    server_threads: int = Field(
        8,
        ge=1,
        le=200,
        description="Threads per server process that run requests; a few per "
        "core serve best, as the work in them is mostly Python.",
    )
    answer_cache_mb: int = Field(
        64,
        ge=0,
        description="Memory per server process for answers of registry reads kept "
        "until the registry changes, in MB; 0 keeps none.",
    )

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        if self.env == "production" and not random_enough(self.secret_key):
            raise ValueError(  # names COOPLAB_SECRET_KEY itself: the error has no field location
                "COOPLAB_SECRET_KEY must be set to a random value of at least 32 characters, "
                "without spaces, in production (for example: python -c 'import secrets; "
                "print(secrets.token_hex(32))')"
            )
        return self

    @property
    def cookie_secure(self) -> bool:
        """Cookies only over HTTPS in production."""
        return self.env == "production"

    @field_validator("env")
    @classmethod
    def _known_env(cls, value: str) -> str:
        if value not in {"development", "production", "test"}:
            raise ValueError("must be development, production or test")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in {"ru", "en", "uz"}:
            raise ValueError("must be ru, en or uz")
        return value

    @field_validator("database_url")
    @classmethod
    def _sqlite_folder(cls, value: str) -> str:
        """Create the folder of a file-based SQLite database so the first run just works."""
        prefix = "sqlite:///"
        if value.startswith(prefix) and ":memory:" not in value:
            Path(value[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)
        return value


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
