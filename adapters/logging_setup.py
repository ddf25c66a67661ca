"""Logging for every entry point, with a filter that masks anything shaped like a credential.

The rule is to log ids, states and counts, never content; the filter is the safety net for a
library (or a mistake) that logs a URL or a header with a token in it.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

_SECRET_PATTERNS = [
    re.compile(r"xox[abposr]-[A-Za-z0-9-]+"),  # Slack bot/user/app tokens
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"(?i)(access_token|client_secret|password|token|api_key)=([^&\s]+)"),
    re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"),  # JWTs
]


def mask(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(0)[:4] + "…[masked]", text)
    return text


class SecretMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record is emitted, not when logging was set up:
    a caller that swaps stderr (a test runner, a daemon manager) never gets a closed stream."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # slack-sdk logs request bodies at DEBUG; keep third parties quiet unless asked.
    for noisy in ("slack_sdk", "slack_bolt", "botbuilder", "httpx", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


class QueryNotLogged(logging.Filter):
    """aiohttp's access log keeps the path and drops the query for paths under `prefix`, where a
    query carries a secret for a while (an OAuth code, a signed link's signature)."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix
        self._query = re.compile(rf"({re.escape(prefix)}[^\s?\"]*)\?[^\s\"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.prefix in message:
            record.msg, record.args = self._query.sub(r"\1?…[not logged]", message), None
        return True


def hide_query_in_access_log(prefix: str) -> None:
    access = logging.getLogger("aiohttp.access")
    if not any(isinstance(f, QueryNotLogged) and f.prefix == prefix for f in access.filters):
        access.addFilter(QueryNotLogged(prefix))
