"""`[audit]` settings: how long the trail is kept, and where its signed checkpoints go.

Environment: CLEARPOST_AUDIT_RETENTION_YEARS, CLEARPOST_AUDIT_CHECKPOINT_FILE and
CLEARPOST_AUDIT_KEY (the checkpoints' HMAC key; keep it out of the database and its backups).
"""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# HIPAA 45 CFR 164.316(b)(2)(i): documentation is retained six years from creation or from
# when it was last in effect, whichever is later.
HIPAA_RETENTION_YEARS = 6
KEY_MIN_BYTES = 16


class AuditSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEARPOST_AUDIT_", extra="ignore")

    retention_years: int = Field(default=HIPAA_RETENTION_YEARS, ge=1, le=100)
    # A file the database's administrators cannot rewrite (another host, append-only storage).
    checkpoint_file: str | None = None
    key: SecretStr | None = None

    @field_validator("key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < KEY_MIN_BYTES:
            raise ValueError(
                f"must be at least {KEY_MIN_BYTES} bytes; make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @classmethod
    def env_names(cls) -> set[str]:
        return {f"CLEARPOST_AUDIT_{name.upper()}" for name in cls.model_fields}
