"""`[policy]` in clearpost.toml: who approves what, in which stages, and which posts are urgent.

[policy]
urgent_tags = ["urgent", "closure"]
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.policies import DEFAULT_URGENT_TAGS


class PolicySettings(BaseModel):
    """Approval policy beyond the flat `approvers` list (which stays the default stage)."""

    model_config = ConfigDict(extra="forbid")

    urgent_tags: list[str] = Field(default_factory=lambda: sorted(DEFAULT_URGENT_TAGS))

    @field_validator("urgent_tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.split(",")
        return [str(t).strip().lstrip("#").lower() for t in value if str(t).strip()]
