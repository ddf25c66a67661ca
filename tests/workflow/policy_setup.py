"""A practice with stages, people on two platforms and an on-call group, as `[policy]` in
clearpost.toml would give it: the settings model, the people directory and the workflow are the
real ones; only the chat platforms are FakeNotifiers and the profile e-mails a table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from adapters.people_directory import PeopleDirectory
from adapters.policy_settings import PolicySettings
from bot.channels import ChannelTable
from bot.domain import Person
from bot.policies import ApprovalPolicy
from bot.workflow import Workflow
from storage.consents import SqlConsentBook
from storage.sqlmodel_repo import SqlUnitOfWorkFactory
from tests.conftest import CHANNELS, ZONE
from tests.fakes import FakeNotifier, FixedClock

POLICY: dict[str, Any] = {
    "urgent_tags": ["urgent", "closure"],
    "on_call": [{"group": "on-call"}],
    "people": {
        "alice": {"name": "Alice Clinician", "slack": "UALICE", "teams": "aad-alice"},
        "bob": {"name": "Bob Clinician", "console": "bob"},
        "carol": {"name": "Carol Compliance", "console": "carol", "teams": "aad-carol"},
        "dave": {"name": "Dave Compliance", "console": "dave"},
        "erin": {"name": "Erin On-call", "console": "erin"},
        # Linked by nothing but the address both platforms' profiles give.
        "frank": {"name": "Frank Clinician", "email": "frank@clinic.example"},
    },
    "groups": {
        "clinicians": ["alice", "bob", "frank"],
        "compliance": ["carol", "dave"],
        "on-call": ["erin"],
        "board": ["carol", "dave"],
    },
    "rules": [
        {"tags": ["clinical"], "stages": [{"group": "clinicians"}, {"group": "compliance"}]},
        {"channels": ["x-main"], "stages": [{"group": "compliance"}]},
        {"campaigns": ["annual-report"], "stages": [{"group": "board", "mode": "all"}]},
    ],
}

# What Slack's users.info and Teams' member record would say for the accounts that have one.
PROFILE_EMAILS = {
    "slack": {"UFRANK": "Frank@Clinic.example", "UNURSE": "nurse@clinic.example"},
    "teams": {"aad-frank": "frank@clinic.example", "aad-nurse": "NURSE@clinic.example"},
}

ALICE_SLACK = Person("slack", "UALICE", "alice")
ALICE_TEAMS = Person("teams", "aad-alice", "Alice C.")
BOB = Person("console", "bob", "Bob Clinician")
CAROL = Person("console", "carol", "Carol Compliance")
CAROL_TEAMS = Person("teams", "aad-carol", "Carol C.")
DAVE = Person("console", "dave", "Dave Compliance")
ERIN = Person("console", "erin", "Erin On-call")
FRANK_SLACK = Person("slack", "UFRANK", "frank")
FRANK_TEAMS = Person("teams", "aad-frank", "Frank F.")
NURSE_SLACK = Person("slack", "UNURSE", "nurse")
NURSE_TEAMS = Person("teams", "aad-nurse", "Nora N.")
OFFICER = Person("console", "officer", "Olga Officer")


def staged_policy(
    overrides: dict[str, Any] | None = None, approvers: tuple[str, ...] = ("console:officer",)
) -> ApprovalPolicy:
    settings = PolicySettings.model_validate({**POLICY, **(overrides or {})})
    lookups = {p: table.get for p, table in PROFILE_EMAILS.items()}
    return ApprovalPolicy.of(
        approvers,
        1,
        urgent_tags=settings.urgent_tags,
        plan=settings.plan(),
        groups=settings.groups,
        directory=PeopleDirectory(settings.people, lookups),
    )


def staged_workflow(
    engine: Engine, clock: FixedClock, notifier: FakeNotifier, policy: ApprovalPolicy
) -> Workflow:
    return Workflow(
        uow=SqlUnitOfWorkFactory(engine),
        policy=policy,
        channels=ChannelTable(CHANNELS),
        clock=clock,
        zone=ZONE,
        notifiers={"console": notifier, "slack": notifier, "teams": notifier},
        consents=SqlConsentBook(engine),
    )
