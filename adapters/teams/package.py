"""The Teams app package: manifest.json (schema v1.29), color and outline icons, zipped.

The manifest is validated against Microsoft's published JSON schema (MicrosoftTeams.schema.json
beside this module, vendored from OfficeDev/microsoft-teams-app-schema, MIT) before anything is
written, so a bad setting is reported by name instead of being refused by Teams at upload.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema

from adapters.settings import Settings
from bot.errors import ClearpostError

MANIFEST_VERSION = "1.29"
SCHEMA_URL = (
    f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/"
    "MicrosoftTeams.schema.json"
)
ACCENT = (0x1F, 0x6F, 0x5C)  # a calm clinical green
COLOR_SIZE, OUTLINE_SIZE = 192, 32
COMMANDS = [
    ("propose", "Propose a post: opens the form, or propose <channels> <when> <text>"),
    ("calendar", "What is scheduled in the next 14 days; calendar export for the workbook"),
    ("help", "What Clearpost can do"),
]
MESSAGE_ACTION_ID = "proposeAsPost"


class PackageRefused(ClearpostError):
    """A setting the package needs is missing or the manifest would not validate."""


# -- icons ---------------------------------------------------------------------------------------


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int, int]]) -> bytes:
    """A minimal RGBA PNG (one IDAT, no filtering): enough for two small icons."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _in_check_mark(x: float, y: float) -> bool:
    """A check mark in the unit square: two thick strokes."""

    def near(ax: float, ay: float, bx: float, by: float) -> bool:
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 < 0.085**2

    return near(0.22, 0.52, 0.42, 0.72) or near(0.42, 0.72, 0.80, 0.30)


def color_icon() -> bytes:
    """192x192, full colour: a white check mark on the accent colour."""
    n = COLOR_SIZE

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        if _in_check_mark((x + 0.5) / n, (y + 0.5) / n):
            return (255, 255, 255, 255)
        return (*ACCENT, 255)

    return png(n, n, pixel)


def outline_icon() -> bytes:
    """32x32, white on transparent, as Teams requires for the outline icon."""
    n = OUTLINE_SIZE

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        inside = _in_check_mark((x + 0.5) / n, (y + 0.5) / n)
        return (255, 255, 255, 255) if inside else (0, 0, 0, 0)

    return png(n, n, pixel)


# -- manifest ------------------------------------------------------------------------------------


def manifest(settings: Settings, version: str = "1.0.0") -> dict[str, Any]:
    app_id = settings.teams_app_id
    if not app_id:
        raise PackageRefused(
            "Set TEAMS_APP_ID (or MicrosoftAppId) to the bot's Entra ID app id first."
        )
    base = settings.public_base_url
    if not base:
        raise PackageRefused(
            "Set CLEARPOST_PUBLIC_BASE_URL to the https address people reach Clearpost at; "
            "the manifest needs it for the developer pages and valid domains."
        )
    base = base.rstrip("/")
    scopes = ["personal", "team"]
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "Clearpost",
            "websiteUrl": base,
            "privacyUrl": f"{base}/privacy",
            "termsOfUseUrl": f"{base}/terms",
        },
        "name": {"short": "Clearpost", "full": "Clearpost social media approvals"},
        "description": {
            "short": "Propose, approve and schedule the practice's social media posts.",
            "full": (
                "Staff propose posts; compliance approvers approve, ask for changes or reject "
                "them on a card in the compliance channel; approved posts are published at "
                "their time. Every decision is kept in an audit trail."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": scopes,
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": scopes,
                        "commands": [{"title": t, "description": d} for t, d in COMMANDS],
                    }
                ],
            }
        ],
        "composeExtensions": [
            {
                "botId": app_id,
                "commands": [
                    {
                        "id": MESSAGE_ACTION_ID,
                        "type": "action",
                        "title": "Propose as post",
                        "description": "Turn this message into a post proposal",
                        "context": ["message"],
                        "fetchTask": True,
                    }
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [urlparse(base).netloc],
    }


def schema() -> dict[str, Any]:
    text = resources.files("adapters.teams").joinpath("MicrosoftTeams.schema.json").read_text()
    return json.loads(text)


def problems(document: dict[str, Any]) -> list[str]:
    """Where the manifest breaks the schema, as `path: message` lines.

    Microsoft's file declares draft-04 but uses `const` (draft-06: it pins manifestVersion) and
    `if`/`then` (draft-07); a Draft-4 validator skips both silently, so the validator is the
    draft that knows every keyword the file uses."""
    validator = jsonschema.Draft7Validator(schema())
    found = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in found]


def build_package(settings: Settings, target: Path, version: str = "1.0.0") -> Path:
    """Validate, then write the zip Teams admins upload. Nothing is written if invalid."""
    document = manifest(settings, version)
    found = problems(document)
    if found:
        raise PackageRefused("The manifest would not validate:\n" + "\n".join(found))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(document, indent=2))
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    target.write_bytes(buffer.getvalue())
    return target
