"""Multi-stage approval: which stages a post needs, and how far its signatures have got.

A stage is "any one of" (or `at_least` N of) a group, or "all of" it. A post's stages come from
the practice's rules (by channel, tag or campaign); an urgent post goes to the on-call stages
instead. Posts no rule matches keep the flat approvers list as their one stage, so a practice
without rules works as before.

Signatures are only the live approvals of the current revision (an edit voids them), credited
in the order they were given to the first stage not yet signed off; a stage counts only once
every stage before it is complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.domain import Approval, Post

Mode = Literal["any", "all"]
APPROVERS = "approvers"  # the flat `approvers` list (and platform groups): the default stage


@dataclass(frozen=True)
class Stage:
    """One sign-off: any `at_least` members of `group`, or all of them."""

    group: str
    mode: Mode = "any"
    at_least: int = 1
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.group


@dataclass(frozen=True)
class Rule:
    """Posts to any of `channels`, tagged with any of `tags`, or in any of `campaigns` need
    these stages, in this order."""

    stages: tuple[Stage, ...]
    channels: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    campaigns: frozenset[str] = frozenset()

    def matches(self, post: Post) -> bool:
        return (
            any(c in self.channels for c in post.channels)
            or any(t in self.tags for t in post.tags)
            or (post.campaign is not None and post.campaign in self.campaigns)
        )


@dataclass(frozen=True)
class StagePlan:
    """The practice's rules. A post matching several rules needs the union of their stages,
    in the order the rules are written, each distinct stage once."""

    rules: tuple[Rule, ...] = ()
    on_call: tuple[Stage, ...] = ()  # an urgent post's stages instead of the rules'
    repeat_signers: bool = False  # may one person sign more than one stage of a post?

    def stages_for(self, post: Post, default: Stage, urgent: bool) -> tuple[Stage, ...]:
        if urgent and self.on_call:
            return self.on_call
        stages: list[Stage] = []
        for rule in self.rules:
            if rule.matches(post):
                stages += [s for s in rule.stages if s not in stages]
        return tuple(stages) or (default,)


@dataclass(frozen=True)
class StageProgress:
    """How far one stage has got: who signed it (their person keys), who else may."""

    stage: Stage
    signers: tuple[tuple[str, Approval], ...]
    eligible: frozenset[str] | None  # keys who may still sign; None: not enumerable
    done: bool

    @property
    def needed(self) -> int:
        if self.stage.mode == "any":
            return self.stage.at_least
        return len(self.signers) + len(self.eligible or ())


def progress(
    stages: Sequence[Stage],
    approvals: Iterable[Approval],
    *,
    proposer: str,
    key_of: Callable[[Approval], str],
    in_group: Callable[[str, Approval], bool],
    members_of: Callable[[str], frozenset[str] | None],
    repeat_signers: bool,
) -> list[StageProgress]:
    """Credit each signature, oldest first, to the first stage not yet complete it may sign.

    "All of" a group means every member who may sign: not the proposer and, unless repeats are
    allowed, not someone who signed an earlier stage; it needs at least one signature."""
    waiting = sorted(approvals, key=lambda a: a.at)
    used: set[str] = set()
    result: list[StageProgress] = []
    blocked = False
    for stage in stages:
        signers: list[tuple[str, Approval]] = []
        members = members_of(stage.group)
        barred = {proposer} | (set() if repeat_signers else used)
        if not blocked:
            for approval in list(waiting):
                key = key_of(approval)
                if key in barred or any(k == key for k, _ in signers):
                    continue
                if not in_group(stage.group, approval):
                    continue
                signers.append((key, approval))
                waiting.remove(approval)
                if stage.mode == "any" and len(signers) >= stage.at_least:
                    break
        signed = {k for k, _ in signers}
        eligible = None if members is None else frozenset(members - barred - signed)
        if stage.mode == "any":
            done = len(signers) >= stage.at_least
        else:
            done = bool(signers) and eligible is not None and not eligible
        result.append(StageProgress(stage, tuple(signers), eligible, done))
        used |= signed
        blocked = blocked or not done
    return result


@dataclass(frozen=True)
class StageLine:
    """One line of the checklist, in names: what the thread and the card show."""

    label: str
    mode: Mode
    needed: int
    signed: tuple[str, ...]
    waiting_for: tuple[str, ...] | None  # who may still sign; None: the group is not listed
    done: bool

    def describe(self) -> str:
        """E.g. "clinicians (any one): signed by Alice Smith", "compliance (all): waiting for
        Dave Diaz; signed by Carol Chen"."""
        if self.mode == "all":
            rule = "all"
        else:
            rule = "any one" if self.needed == 1 else f"any {self.needed}"
        signed = "signed by " + ", ".join(self.signed) if self.signed else ""
        if self.done:
            return f"{self.label} ({rule}): {signed}"
        if self.waiting_for is None:
            waiting = "waiting for an approver"
        elif self.waiting_for:
            joiner = " or " if self.mode == "any" else ", "
            waiting = "waiting for " + joiner.join(self.waiting_for)
        else:
            waiting = "nobody left who may sign: ask your Clearpost administrator"
        return f"{self.label} ({rule}): " + "; ".join(p for p in (waiting, signed) if p)


@dataclass(frozen=True)
class Checklist:
    """Each stage of a post's approval, who has signed it and who is next."""

    lines: tuple[StageLine, ...]
    urgent: bool = False
    staged: bool = True  # False: the flat approvers list alone, shown as it always was

    @property
    def complete(self) -> bool:
        return all(line.done for line in self.lines)

    @property
    def current(self) -> int | None:
        """The index of the stage waiting for a signature, or None when all are signed."""
        return next((i for i, line in enumerate(self.lines) if not line.done), None)

    def rows(self) -> list[str]:
        """One plain line per stage, marked done (✓), next (→) or later (·)."""
        now = self.current
        marks = [
            "✓" if line.done else "→" if i == now else "·" for i, line in enumerate(self.lines)
        ]
        total = len(self.lines)
        return [
            f"{mark} {i + 1}/{total} {line.describe()}"
            for i, (mark, line) in enumerate(zip(marks, self.lines, strict=True))
        ]
