"""An S3-compatible bucket server on 127.0.0.1, path-style, for the media store's tests.

It answers what minio's client sends (GetBucketLocation, HeadBucket, PutObject, GetObject,
HeadObject), with S3's XML errors, and it checks each request's AWS Signature Version 4 the way
S3 does: the canonical request is rebuilt from what arrived and signed with the secret it knows
(https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). A wrong secret is
403 SignatureDoesNotMatch, a payload that is not the one signed is 400 XAmzContentSHA256Mismatch.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import quote

from tests.standins.networks import Recorded, Reply, StandIn

ACCESS_KEY = "CLEARPOSTTESTKEY"
SECRET_KEY = "test-secret-0123456789"
AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<scope>[^,]+), "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})"
)
LAST_MODIFIED = "Thu, 26 Nov 2026 14:00:00 GMT"  # metadata only; the stand-in keeps no clock


def _error(status: int, code: str, resource: str) -> Reply:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{code}</Message>"
        f"<Resource>{resource}</Resource><RequestId>standin</RequestId></Error>"
    )
    return Reply(status, body=xml, headers={"Content-Type": "application/xml"})


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signature_problem(request: Recorded, access_key: str, secret_key: str) -> str | None:
    """None when the request is signed with this key pair, else S3's error code."""
    match = AUTH.fullmatch(request.header("authorization") or "")
    if match is None or match["key"] != access_key:
        return "InvalidAccessKeyId" if match else "AccessDenied"
    payload_hash = request.header("x-amz-content-sha256") or ""
    if (
        payload_hash != "UNSIGNED-PAYLOAD"
        and payload_hash != hashlib.sha256(request.body).hexdigest()
    ):
        return "XAmzContentSHA256Mismatch"
    signed = match["signed"].split(";")
    headers = "".join(f"{n}:{' '.join((request.header(n) or '').split())}\n" for n in signed)
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
        for k, values in sorted(request.query.items())
        for v in sorted(values)
    )
    canonical = "\n".join(
        [request.method, request.path, query, headers, match["signed"], payload_hash]
    )
    amz_date = request.header("x-amz-date") or ""
    to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            match["scope"],
            hashlib.sha256(canonical.encode()).hexdigest(),
        ]
    )
    key = f"AWS4{secret_key}".encode()
    for part in match["scope"].split("/"):  # date, region, service, aws4_request
        key = _hmac(key, part)
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not amz_date.startswith(match["scope"].split("/")[0]):
        return "SignatureDoesNotMatch"
    return None if hmac.compare_digest(expected, match["signature"]) else "SignatureDoesNotMatch"


class S3StandIn(StandIn):
    """Buckets in `buckets`; objects in `objects[(bucket, name)]`."""

    def __init__(self, *buckets: str, region: str = "us-east-1") -> None:
        super().__init__()
        self.region = region
        self.buckets = set(buckets)
        self.objects: dict[tuple[str, str], bytes] = {}
        for method in ("GET", "HEAD", "PUT"):
            self.respond(method, re.compile(r"/[^/]+(?:/.*)?"), self._s3)

    def _s3(self, request: Recorded) -> Reply:
        bucket, _, name = request.path.lstrip("/").partition("/")
        problem = signature_problem(request, ACCESS_KEY, SECRET_KEY)
        if problem:
            return _error(400 if problem.startswith("XAmz") else 403, problem, request.path)
        if bucket not in self.buckets:
            return _error(404, "NoSuchBucket", request.path)
        if not name:
            if request.method == "GET" and "location" in request.query:
                xml = (
                    '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns='
                    f'"http://s3.amazonaws.com/doc/2006-03-01/">{self.region}</LocationConstraint>'
                )
                return Reply(200, body=xml, headers={"Content-Type": "application/xml"})
            if request.method == "HEAD":
                return Reply(200)
            return _error(405, "MethodNotAllowed", request.path)
        if request.method == "PUT":
            self.objects[(bucket, name)] = request.body
            etag = f'"{hashlib.md5(request.body).hexdigest()}"'  # noqa: S324 - S3's ETag is MD5
            return Reply(200, headers={"ETag": etag})
        data = self.objects.get((bucket, name))
        if data is None:
            return _error(404, "NoSuchKey", request.path)
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(data)),
            "ETag": f'"{hashlib.md5(data).hexdigest()}"',  # noqa: S324
            "Last-Modified": LAST_MODIFIED,
        }
        return Reply(200, body=data, headers=headers)
