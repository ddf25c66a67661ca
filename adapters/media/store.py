"""Where attached files are kept: a folder by default, content-addressed.

A file is stored under `<sha256>.<ext>`, the extension being what its bytes show (kinds.sniff), so
one file attached twice is stored once and no name a person chose ever becomes a path. Writes go to
a temporary file in the same folder and are renamed into place: a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from adapters.media.kinds import ACCEPTED, sniff
from bot.errors import ClearpostError
from bot.media import KEY


class MediaRefused(ClearpostError):
    """An attached file cannot be used; the message says why and what to do."""


class MediaStore(Protocol):
    max_bytes: int

    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes | None: ...

    def has(self, key: str) -> bool: ...


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def checked_key(data: bytes, max_bytes: int) -> str:
    """The key `data` is stored under, or MediaRefused (too large, not an image or video)."""
    if len(data) > max_bytes:
        raise MediaRefused(
            f"The attached file is {size_text(len(data))}; Clearpost keeps files up to "
            f"{size_text(max_bytes)}. Attach a smaller one."
        )
    ext = sniff(data[:16])
    if ext is None:
        raise MediaRefused(
            f"The attached file is not an image or a video Clearpost can post ({ACCEPTED})."
        )
    return f"{hashlib.sha256(data).hexdigest()}.{ext}"


class FolderMediaStore:
    def __init__(self, folder: str | Path, max_bytes: int) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def put(self, data: bytes) -> str:
        key = checked_key(data, self.max_bytes)
        path = self.folder / key
        if path.exists():
            return key
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def has(self, key: str) -> bool:
        return bool(KEY.fullmatch(key)) and (self.folder / key).is_file()

    def get(self, key: str) -> bytes | None:
        if not KEY.fullmatch(key):  # only what `put` makes is ever looked up
            return None
        try:
            return (self.folder / key).read_bytes()
        except FileNotFoundError:
            return None
