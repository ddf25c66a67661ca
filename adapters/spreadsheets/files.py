"""Writing an export so nobody ever opens half of it: a path gets a hidden partial file that is
renamed into place only when complete (and removed if writing fails); a stream is used as is."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

Target = str | os.PathLike[str] | BinaryIO


@contextlib.contextmanager
def finished_file(out: Target) -> Iterator[str | BinaryIO]:
    if not isinstance(out, str | os.PathLike):
        yield out
        return
    path = Path(out)
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield str(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
