"""The key that seals stored credentials: `CLEARPOST_SECRET_KEY`, one or more Fernet keys.

Fernet (the `cryptography` package: AES-128-CBC with HMAC-SHA256, a timestamped, authenticated
token) through MultiFernet: the first key seals, every listed key opens. To rotate, put a new key
first and keep the old one after it (`NEW,OLD`), run `clearpost credentials reseal` to re-seal
every row with the new key, then drop the old one. `clearpost credentials new-key` prints a key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.errors import ClearpostError

VARIABLE = "CLEARPOST_SECRET_KEY"


class MissingSecretKey(ClearpostError):
    def __init__(self, problem: str = "is not set") -> None:
        super().__init__(
            f"{VARIABLE} {problem}: stored channel credentials are encrypted with it. Create one "
            f"with `clearpost credentials new-key`, set {VARIABLE} to it in every replica's "
            "environment and keep a copy somewhere safe: without it the stored tokens are lost."
        )


class FernetCipher:
    """storage.credentials.Cipher over MultiFernet; a token no key opens raises ValueError."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise MissingSecretKey()
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except ValueError:
            raise MissingSecretKey(
                "is not a Fernet key (32 url-safe base64-encoded bytes, comma-separated when "
                "there are several)"
            ) from None

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise ValueError("no configured key opens this token") from None


class NoKeyCipher:
    """Stands in while CLEARPOST_SECRET_KEY is unset: Clearpost starts and env-variable tokens
    work; anything that must read or write a stored credential is refused, naming the key."""

    def encrypt(self, data: bytes) -> bytes:
        raise MissingSecretKey()

    def decrypt(self, token: bytes) -> bytes:
        raise MissingSecretKey()


def cipher_for(value: str | None) -> FernetCipher | NoKeyCipher:
    """The cipher Clearpost runs with: a malformed key stops it at start, a missing one only
    refuses the stored credentials."""
    return cipher_from(value) if value and value.strip() else NoKeyCipher()


def cipher_from(value: str | None) -> FernetCipher:
    """The cipher for CLEARPOST_SECRET_KEY's value; MissingSecretKey says how to make one."""
    keys = [part.strip() for part in (value or "").split(",") if part.strip()]
    return FernetCipher(keys)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")
