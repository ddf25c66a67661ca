"""Short-lived signed links to stored media, served by `clearpost serve` at /media/<key>.

Networks such as Instagram fetch a post's image from a public URL, without signing in, so the
link itself is the permission: it carries its expiry and an HMAC of the key and expiry under a
key kept once per database (every replica signs alike), and works until it expires, never after.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import datetime

from bot.media import KEY

PATH = "/media/{key}"
LINK_KEY = "media.link-key"
_HEX64 = re.compile(r"[0-9a-f]{64}")


class MediaLinks:
    def __init__(
        self,
        secret: Callable[[], bytes],
        base_url: str | None,
        now: Callable[[], datetime],
        seconds: int,
    ) -> None:
        self._secret_source = secret  # read once, when the first link is made or checked
        self._secret: bytes | None = None
        self.base_url = base_url.rstrip("/") if base_url else None
        self._now = now
        self.seconds = seconds

    def _sign(self, key: str, expires: int) -> str:
        if self._secret is None:
            self._secret = self._secret_source()
        message = f"media:{key}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def address(self, key: str) -> str | None:
        """Where the file will be served, unsigned (what validation reads), or None."""
        return f"{self.base_url}{PATH.format(key=key)}" if self.base_url else None

    def link(self, key: str) -> str | None:
        address = self.address(key)
        if address is None:
            return None
        expires = int(self._now().timestamp()) + self.seconds
        return f"{address}?exp={expires}&sig={self._sign(key, expires)}"

    def valid(self, key: str, exp: str, sig: str) -> bool:
        # Only what `link` makes is checked further: a key, a few digits, 64 hex digits.
        if not (KEY.fullmatch(key) and exp.isascii() and exp.isdigit() and len(exp) <= 16):
            return False
        if not _HEX64.fullmatch(sig) or int(exp) < self._now().timestamp():
            return False
        return hmac.compare_digest(self._sign(key, int(exp)), sig)
