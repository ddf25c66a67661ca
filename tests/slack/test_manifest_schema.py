"""manifest.yaml is a manifest Slack accepts: checked against Slack's own manifest schema
(vendored in tests/slack/schemas/, see its README for source and date) with a Draft 7 validator,
which, unlike Draft 4, enforces `const`."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "slack-manifest.schema.1.0.0.json").read_text()
)
MANIFEST = yaml.safe_load((ROOT / "manifest.yaml").read_text())


def problems(manifest: dict) -> list[str]:
    validator = Draft7Validator(SCHEMA)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(manifest)]


def test_the_schema_is_a_valid_draft_7_schema():
    Draft7Validator.check_schema(SCHEMA)


def test_manifest_yaml_passes_slacks_manifest_schema():
    assert problems(MANIFEST) == []


def test_the_schema_check_refuses_what_slack_would_refuse():
    # A command description over Slack's 2,000 characters and a misspelt setting: both are
    # refused by Slack's app configuration page, and both must fail here too.
    broken = copy.deepcopy(MANIFEST)
    broken["features"]["slash_commands"][0]["description"] = "x" * 2_001
    broken["settings"]["socket_mode"] = True

    found = problems(broken)

    assert any("slash_commands/0/description" in p for p in found)
    assert any("socket_mode" in p for p in found)
