"""The real `clearpost serve` web app with Teams enabled (unauthenticated), served on 127.0.0.1
port 0 in a thread; `post` sends it one activity (built with `Activities`) and waits until the
bot has handled it.

Activities carry the connector stand-in's URL as their serviceUrl, so every reply, card, update
and personal message the bot sends is recorded there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from adapters.bootstrap import Core, build_core
from adapters.settings import Settings
from adapters.teams.app import TEAMS_KEY
from adapters.web import chats
from bot.ports import Clock
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.support.served import ServedCore
from tests.support.teams_activities import (
    CHANNEL,
    GROUP_OFFICER,
    NURSE,
    OFFICER,
    STRANGER,
    Activities,
)
from tests.teams.card_checks import assert_card_ok, cards_in

__all__ = [
    "CHANNEL",
    "GROUP_OFFICER",
    "NURSE",
    "OFFICER",
    "STRANGER",
    "Activities",
    "ServedTeams",
    "served_teams",
    "teams_settings",
]

CHANNELS = "x-main=x,facebook-clinic=facebook,instagram-clinic=instagram,blog=wordpress"


def teams_settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'clearpost.db'}",
        timezone="America/New_York",
        approvers=["teams:aad-officer"],
        channels=CHANNELS,
        teams_approver_group=["aad-group"],
        **extra,
    )


class ServedTeams:
    """Clearpost served for Teams: `url` is its /api/messages."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.served = ServedCore(core)
        self.app = self.served.app
        self.http = httpx.Client(timeout=30)

    def __enter__(self) -> ServedTeams:
        self.served.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self.served.__exit__(*exc)

    @property
    def url(self) -> str:
        return self.served.url + "/api/messages"

    def post(self, activity: dict[str, Any], **headers: str) -> httpx.Response:
        """Send one activity; then wait until the bot has finished handling it, as a person
        would wait to see the reply."""
        response = self.http.post(self.url, json=activity, headers=headers)
        if response.status_code == 200 and response.content:
            for card in cards_in(response.json()):  # a refreshed card, a dialog
                assert_card_ok(card)
        if response.status_code in (200, 202):
            # A dialog may answer before its work is done (a slow screening: its result then
            # follows in the person's chat), so an answer is not the end of the work either.
            self.settle()
        return response

    def settle(self) -> None:
        """Wait until activities in hand and queued notices have reached the connector."""
        self.served.run(self.app[TEAMS_KEY].settle())


@contextmanager
def served_teams(
    tmp_path: Path, clock: Clock | None = None, screener: Any = None, **settings: Any
) -> Iterator[ServedTeams]:
    core = build_core(
        teams_settings(tmp_path, **settings),
        clock=clock or FixedClock(NOW),
        chat=chats(),
        screener=screener,
    )
    with ServedTeams(core) as served:
        yield served
