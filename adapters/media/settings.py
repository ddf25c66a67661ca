"""`[media]`: where attached files are kept and how long their links work."""

from __future__ import annotations

from pydantic import BaseModel, Field


class MediaSettings(BaseModel):
    folder: str = "clearpost-media"  # relative to where Clearpost runs, like the SQLite default
    max_mb: float = Field(default=50, gt=0, le=1024)  # one file, whatever the network allows
    link_minutes: int = Field(default=60, ge=1, le=24 * 60)  # networks fetch within minutes
    fetch_seconds: float = Field(default=30, gt=0, le=300)  # one download from a chat platform
