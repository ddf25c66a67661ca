"""What a file is, read from its first bytes (its name may say anything)."""

from __future__ import annotations

# extension -> the MIME type served with it
MIME = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}
ACCEPTED = "JPEG, PNG, GIF or WebP images and MP4 or MOV videos"


def sniff(head: bytes) -> str | None:
    """The extension the bytes show (magic numbers), or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":  # ISO base media: the brand says QuickTime or MP4
        return "mov" if head[8:12] == b"qt  " else "mp4"
    return None
