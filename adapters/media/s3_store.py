"""The media store in an S3-compatible bucket, for several replicas sharing one store.

Objects are named `<prefix><key>`, the key being the folder store's (store.checked_key), so the
same file is stored once whichever replica received it. Every request is bounded (timeout, two
retries); what the bucket refuses at start-up is a sentence naming what to fix.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from adapters.media.settings import ACCESS_KEY_VARIABLE, SECRET_KEY_VARIABLE, MediaSettings
from adapters.media.store import MediaRefused, checked_key
from bot.media import KEY

REFUSED_CREDENTIALS = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "ExpiredToken",
}
MISSING = {"NoSuchKey", "NoSuchObject", "ResourceNotFound"}


class S3MediaStore:
    def __init__(self, config: MediaSettings, max_bytes: int) -> None:
        if config.s3_bucket is None:
            raise ValueError("S3MediaStore needs [media] s3_bucket")
        self.max_bytes = max_bytes
        self.bucket = config.s3_bucket
        self.prefix = config.s3_prefix
        self.endpoint = config.s3_endpoint
        url = urlsplit(config.s3_endpoint)
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=min(5.0, config.s3_seconds), read=config.s3_seconds),
            retries=urllib3.Retry(
                total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)
            ),
            maxsize=4,
        )
        access, secret = config.s3_access_key, config.s3_secret_key
        self.client = Minio(
            url.netloc,
            access_key=access.get_secret_value() if access else None,
            secret_key=secret.get_secret_value() if secret else None,
            secure=url.scheme == "https",
            region=config.s3_region,
            http_client=http,
        )

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def check(self) -> None:
        """MediaRefused with a sentence unless the bucket exists and takes Clearpost's keys."""
        where = f"the bucket “{self.bucket}” at {self.endpoint}"
        try:
            exists = self.client.bucket_exists(self.bucket)
        except ValueError as exc:  # minio checks the name before sending anything
            raise MediaRefused(
                f"[media] s3_bucket: {exc}; S3 bucket names are 3-63 lowercase "
                "letters, digits, dots and hyphens."
            ) from None
        except S3Error as exc:
            if exc.code in REFUSED_CREDENTIALS:
                raise MediaRefused(
                    f"The media store refused Clearpost's keys for {where} ({exc.code}). Check "
                    f"{ACCESS_KEY_VARIABLE} and {SECRET_KEY_VARIABLE}, and that the key may read "
                    "and write that bucket."
                ) from None
            raise MediaRefused(f"The media store at {self.endpoint} answered {exc.code}.") from None
        except (MinioException, urllib3.exceptions.HTTPError) as exc:
            raise MediaRefused(
                f"Clearpost could not reach the media store at {self.endpoint} "
                f"({type(exc).__name__}); check [media] s3_endpoint and the network."
            ) from None
        if not exists:
            raise MediaRefused(
                f"The media store has no bucket “{self.bucket}” at {self.endpoint}. Create it, or "
                "set [media] s3_bucket to an existing one."
            )

    def put(self, data: bytes) -> str:
        key = checked_key(data, self.max_bytes)
        try:
            if not self.has(key):
                self.client.put_object(self.bucket, self._name(key), io.BytesIO(data), len(data))
        except (MinioException, urllib3.exceptions.HTTPError) as exc:
            raise MediaRefused(
                f"Clearpost could not keep the attached file: its media store at {self.endpoint} "
                f"did not take it ({getattr(exc, 'code', type(exc).__name__)}). Try again shortly."
            ) from None
        return key

    def has(self, key: str) -> bool:
        if not KEY.fullmatch(key):
            return False
        try:
            self.client.stat_object(self.bucket, self._name(key))
        except S3Error as exc:
            if exc.code in MISSING:
                return False
            raise
        return True

    def get(self, key: str) -> bytes | None:
        if not KEY.fullmatch(key):  # only what `put` makes is ever looked up
            return None
        try:
            response = self.client.get_object(self.bucket, self._name(key))
        except S3Error as exc:
            if exc.code in MISSING:
                return None
            raise
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()
