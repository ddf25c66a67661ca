"""`[media]`: where attached files are kept and how long their links work.

With `s3_bucket` set, files go to that S3-compatible bucket (AWS S3, MinIO, Ceph, R2), which several
replicas can share; else to `folder`. The bucket's keys come from the environment only:
CLEARPOST_MEDIA_S3_ACCESS_KEY and CLEARPOST_MEDIA_S3_SECRET_KEY.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator

ACCESS_KEY_VARIABLE = "CLEARPOST_MEDIA_S3_ACCESS_KEY"
SECRET_KEY_VARIABLE = "CLEARPOST_MEDIA_S3_SECRET_KEY"
MEDIA_ENV_NAMES = {ACCESS_KEY_VARIABLE, SECRET_KEY_VARIABLE}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _from_env(name: str) -> SecretStr | None:
    value = os.environ.get(name, "").strip()
    return SecretStr(value) if value else None


class MediaSettings(BaseModel):
    folder: str = "clearpost-media"  # relative to where Clearpost runs, like the SQLite default
    max_mb: float = Field(default=50, gt=0, le=1024)  # one file, whatever the network allows
    link_minutes: int = Field(default=60, ge=1, le=24 * 60)  # networks fetch within minutes
    fetch_seconds: float = Field(default=30, gt=0, le=300)  # one download from a chat platform
    s3_endpoint: str = "https://s3.amazonaws.com"
    s3_bucket: str | None = None
    s3_region: str | None = None  # asked of the bucket when not given
    s3_prefix: str = ""  # e.g. "clearpost/": objects are `<prefix><sha256>.<ext>`
    s3_seconds: float = Field(default=30, gt=0, le=300)  # one request to the bucket
    s3_access_key: SecretStr | None = Field(default_factory=lambda: _from_env(ACCESS_KEY_VARIABLE))
    s3_secret_key: SecretStr | None = Field(default_factory=lambda: _from_env(SECRET_KEY_VARIABLE))

    @field_validator("s3_endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                f"“{value}” is not a URL; write e.g. https://s3.eu-west-1.amazonaws.com"
            )
        if url.scheme == "http" and url.hostname not in LOOPBACK:
            raise ValueError(
                f"“{value}” is plain http: the bucket's keys and patients' images would cross the "
                "network unencrypted. Use https (http is accepted for 127.0.0.1/localhost only)."
            )
        if url.path.strip("/") or url.query:
            raise ValueError(
                f"“{value}” has a path; give only scheme, host and port (the bucket is s3_bucket)"
            )
        return value.strip()

    @field_validator("s3_bucket")
    @classmethod
    def _bucket(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def uses_s3(self) -> bool:
        return self.s3_bucket is not None
