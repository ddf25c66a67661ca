"""What real Teams would refuse in what Clearpost sends: an Adaptive Card that breaks the official
schema of the version it declares (vendored in tests/teams/schemas, validated with the draft the
schema declares), and a message over the size budget (adapters/teams/budget.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator

from adapters.teams.budget import MESSAGE_BUDGET, card_message_size, utf16_size

SCHEMAS = Path(__file__).parent / "schemas"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
# What the connector stand-in refuses with 413, as documented (about 100 KB of UTF-16).
DOCUMENTED_LIMIT = 100 * 1024


@cache
def card_validator(version: str) -> Validator:
    path = SCHEMAS / f"adaptive-card-{version}.json"
    if not path.exists():
        raise AssertionError(f"a card declares version {version!r}; no schema for it in {SCHEMAS}")
    schema = json.loads(path.read_text())
    return validators.validator_for(schema)(schema)  # type: ignore[no-any-return]


def card_problems(card: dict[str, Any]) -> list[str]:
    """Where the card breaks its declared version's schema, or is over the budget."""
    found = []
    error = best_match(card_validator(str(card.get("version"))).iter_errors(card))
    if error is not None:
        found.append(f"{error.json_path}: {error.message[:300]}")
    size = card_message_size(card)
    if size > MESSAGE_BUDGET:
        found.append(
            f"a message with this card is {size:,} bytes; the budget is {MESSAGE_BUDGET:,}"
        )
    return found


def assert_card_ok(card: dict[str, Any]) -> None:
    problems = card_problems(card)
    assert not problems, "\n".join(problems)


def cards_in(document: Any) -> list[dict[str, Any]]:
    """Every Adaptive Card attached anywhere in an activity or an invoke response."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "AdaptiveCard" and "version" in node:
                found.append(node)
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    return found


def assert_activity_ok(activity: dict[str, Any]) -> None:
    """Each card valid, and the whole activity within the budget."""
    for card in cards_in(activity):
        assert_card_ok(card)
    assert utf16_size(activity) <= MESSAGE_BUDGET
