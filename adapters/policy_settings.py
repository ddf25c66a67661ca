"""`[policy]` in clearpost.toml: who approves what, in which stages, and which posts are urgent.

    [policy]
    urgent_tags = ["urgent", "closure"]
    on_call = [{ group = "on-call" }]          # an urgent post's stages
    repeat_signers = false                     # one person may sign only one stage of a post

    [policy.people.alice]                      # one person, however many platforms
    name = "Alice Smith"
    slack = "U024BE7LH"
    teams = "6f3c…"                            # the Entra ID object id (aadObjectId)
    email = "alice@clinic.example"             # also links accounts whose profile gives it

    [policy.groups]
    clinicians = ["alice", "slack:U0BOB"]      # people's names or platform:user_id
    compliance = ["carol", "dave"]

    [[policy.rules]]
    tags = ["clinical"]
    stages = [{ group = "clinicians" }, { group = "compliance", mode = "all" }]

The flat `approvers` list and `required_approvals` remain the stage of every post no rule
matches; a stage may name it as the group `approvers`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.approval_stages import APPROVERS, Rule, Stage, StagePlan
from bot.policies import DEFAULT_URGENT_TAGS

PLATFORMS = ("slack", "teams", "console")


def _words(value: Any) -> Any:
    if isinstance(value, str):
        value = value.split(",")
    return [str(t).strip().lstrip("#").lower() for t in value if str(t).strip()]


class PersonSettings(BaseModel):
    """`[policy.people.<name>]`: one person's accounts on each platform, and their e-mail."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    email: str | None = None
    slack: str | None = None
    teams: str | None = None
    console: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and "@" not in value:
            raise ValueError(f"{value!r} is not an e-mail address (name@example.org)")
        return value.strip().lower() if value else None

    def accounts(self) -> list[str]:
        return [f"{p}:{uid.strip()}" for p in PLATFORMS if (uid := getattr(self, p))]


class StageSettings(BaseModel):
    """One stage: any `at_least` members of `group` (default one), or all of them."""

    model_config = ConfigDict(extra="forbid")

    group: str
    mode: Literal["any", "all"] = "any"
    at_least: int = Field(default=1, ge=1, le=10)
    name: str = ""

    def stage(self) -> Stage:
        return Stage(self.group, self.mode, self.at_least, self.name)


class RuleSettings(BaseModel):
    """`[[policy.rules]]`: posts to these channels, with these tags or in these campaigns."""

    model_config = ConfigDict(extra="forbid")

    channels: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    campaigns: list[str] = Field(default_factory=list)
    stages: list[StageSettings] = Field(min_length=1)

    _lower = field_validator("channels", "tags", mode="before")(_words)

    @model_validator(mode="after")
    def _matches_something(self) -> RuleSettings:
        if not (self.channels or self.tags or self.campaigns):
            raise ValueError(
                'a rule needs channels, tags or campaigns to match, e.g. tags = ["clinical"]'
            )
        return self

    def rule(self) -> Rule:
        return Rule(
            tuple(s.stage() for s in self.stages),
            frozenset(self.channels),
            frozenset(self.tags),
            frozenset(c.strip() for c in self.campaigns),
        )


class PolicySettings(BaseModel):
    """Approval policy beyond the flat `approvers` list (which stays the default stage)."""

    model_config = ConfigDict(extra="forbid")

    urgent_tags: list[str] = Field(default_factory=lambda: sorted(DEFAULT_URGENT_TAGS))
    on_call: list[StageSettings] = Field(default_factory=list)
    repeat_signers: bool = False
    people: dict[str, PersonSettings] = Field(default_factory=dict)
    groups: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[RuleSettings] = Field(default_factory=list)

    _tags = field_validator("urgent_tags", mode="before")(_words)

    @model_validator(mode="after")
    def _consistent(self) -> PolicySettings:
        """Every stage names a group, every member a person or an account, and no account or
        e-mail belongs to two people: a wrong name would otherwise lock a stage silently."""
        stages = [s for r in self.rules for s in r.stages] + self.on_call
        unknown = sorted({s.group for s in stages} - set(self.groups) - {APPROVERS})
        if unknown:
            raise ValueError(
                f"stage group {', '.join(unknown)} is not in [policy.groups]; add it there "
                f"(or use the group {APPROVERS!r}, the flat approvers list)"
            )
        if any(s.group == APPROVERS and s.mode == "all" for s in stages):
            raise ValueError(
                f"the group {APPROVERS!r} (the flat approvers list, with any platform group) "
                'cannot be listed whole: make its stage mode = "any" (with at_least), or '
                "name the people in a [policy.groups] group"
            )
        for group, members in self.groups.items():
            strays = [m for m in members if m not in self.people and ":" not in m]
            if strays:
                raise ValueError(
                    f"group {group!r}: {', '.join(strays)} is neither a [policy.people] name "
                    "nor an account written platform:user_id (e.g. slack:U024BE7LH)"
                )
        owners: dict[str, str] = {}
        for key, person in self.people.items():
            for handle in [*person.accounts(), *([person.email] if person.email else [])]:
                if owners.setdefault(handle, key) != key:
                    raise ValueError(f"{handle} belongs to both {owners[handle]} and {key}")
        return self

    def plan(self) -> StagePlan:
        return StagePlan(
            tuple(r.rule() for r in self.rules),
            tuple(s.stage() for s in self.on_call),
            self.repeat_signers,
        )
