"""Checks on URLs that reach Clearpost from outside (platform payloads, settings)."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL with a host: where Slack's response_url and Teams' serviceUrl
    must point before anything is ever sent there."""
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
        return parts is not None and parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
