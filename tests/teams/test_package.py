"""`clearpost teams-package`: a manifest Teams accepts, icons of the required sizes."""

from __future__ import annotations

import json
import struct
import zipfile

import pytest

from adapters.cli import main
from adapters.settings import Settings
from adapters.teams.package import PackageRefused, build_package, manifest, problems

APP_ID = "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"


def settings(**extra: object) -> Settings:
    values: dict[str, object] = {
        "teams_app_id": APP_ID,
        "public_base_url": "https://clearpost.clinic.example",
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_package_holds_a_manifest_that_validates_and_both_icons(tmp_path):
    target = build_package(settings(), tmp_path / "clearpost.zip")

    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        document = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")

    assert names == ["color.png", "manifest.json", "outline.png"]
    assert problems(document) == []
    assert png_size(color) == (192, 192)
    assert png_size(outline) == (32, 32)


def test_the_bot_commands_and_the_message_action_are_in_the_manifest():
    document = manifest(settings())

    commands = document["bots"][0]["commandLists"][0]["commands"]
    action = document["composeExtensions"][0]["commands"][0]
    assert [c["title"] for c in commands] == ["propose", "calendar", "help"]
    assert (action["title"], action["type"], action["context"]) == (
        "Propose as post",
        "action",
        ["message"],
    )
    assert document["validDomains"] == ["clearpost.clinic.example"]


def test_an_app_id_that_is_no_guid_is_refused_before_anything_is_written(tmp_path):
    target = tmp_path / "clearpost.zip"

    with pytest.raises(PackageRefused, match="id"):
        build_package(settings(teams_app_id="clearpost-bot"), target)

    assert not target.exists()


def test_without_an_app_id_the_message_names_the_setting(tmp_path):
    with pytest.raises(PackageRefused, match="TEAMS_APP_ID"):
        build_package(Settings(public_base_url="https://x.example"), tmp_path / "p.zip")


def test_the_command_line_builds_the_package(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    monkeypatch.setenv("CLEARPOST_PUBLIC_BASE_URL", "https://clearpost.clinic.example")
    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "none.toml"))
    target = tmp_path / "out.zip"

    status = main(["teams-package", "-o", str(target)])

    assert status == 0 and zipfile.is_zipfile(target)
    assert "Teams app package written" in capsys.readouterr().out
