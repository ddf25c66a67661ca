"""The real `clearpost serve` web app with Teams enabled (unauthenticated), served on 127.0.0.1
port 0 in a thread, and Teams-format activities to post to it.

Activities carry the connector stand-in's URL as their serviceUrl, so every reply, card, update
and personal message the bot sends is recorded there.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from adapters.bootstrap import Core, build_core
from adapters.settings import Settings
from adapters.teams.app import TEAMS_KEY
from adapters.web import build_web_app
from bot.ports import Clock
from tests.conftest import NOW
from tests.fakes import FixedClock, assert_none_published, publish_nothing_unscripted

TENANT = "tenant-1"
CHANNEL = "19:compliance@thread.tacv2"
TEAM = "19:team@thread.tacv2"
BOT = {"id": "28:clearpost-bot", "name": "Clearpost"}
NURSE = {"id": "29:nurse", "name": "Nora Nurse", "aadObjectId": "aad-nurse"}
OFFICER = {"id": "29:officer", "name": "Olga Officer", "aadObjectId": "aad-officer"}
GROUP_OFFICER = {"id": "29:group", "name": "Gus Group", "aadObjectId": "aad-group"}
STRANGER = {"id": "29:stranger", "name": "Sam Stranger", "aadObjectId": "aad-stranger"}
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


class ServedApp:
    """The aiohttp app on its own loop in a thread; `post` sends one activity over HTTP."""

    def __init__(self, core: Core) -> None:
        self.core = core
        # No scheduler here: a test dispatches itself, on its own clock, with scripted networks.
        self.unscripted = publish_nothing_unscripted(core.publishers)
        self.app = build_web_app(core, dispatch=False)
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self.port = 0
        self.http = httpx.Client(timeout=30)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.runner = web.AppRunner(self.app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self.loop.run_forever()

    def start(self) -> ServedApp:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the web app did not start")
        return self

    def stop(self) -> None:
        self.http.close()
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(30)
        self.core.shutdown()
        assert_none_published(self.unscripted)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def post(self, activity: dict[str, Any], **headers: str) -> httpx.Response:
        """Send one activity; then wait until the bot has finished handling it, as a person
        would wait to see the reply."""
        response = self.http.post(self.url, json=activity, headers=headers)
        if response.status_code == 202:
            self.settle()
        return response

    def settle(self) -> None:
        """Wait until activities in hand and queued notices have reached the connector."""
        parts = self.app[TEAMS_KEY]
        asyncio.run_coroutine_threadsafe(parts.settle(), self.loop).result(30)


@contextmanager
def served_teams(
    tmp_path: Path, clock: Clock | None = None, **settings: Any
) -> Iterator[ServedApp]:
    core = build_core(teams_settings(tmp_path, **settings), clock=clock or FixedClock(NOW))
    served = ServedApp(core).start()
    try:
        yield served
    finally:
        served.stop()


class Activities:
    """Teams-format activities, numbered so each is a new delivery unless reused on purpose."""

    def __init__(self, service_url: str) -> None:
        self.service_url = service_url
        self._ids = itertools.count(1)

    def next_id(self) -> str:
        return f"act-{next(self._ids)}"

    def _base(self, kind: str, who: dict[str, str], conversation: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "id": self.next_id(),
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": who,
            "recipient": BOT,
            "conversation": {"tenantId": TENANT, **conversation},
            "channelData": {"tenant": {"id": TENANT}},
        }

    def personal(self, who: dict[str, str]) -> dict[str, Any]:
        return {"id": f"a:personal-{who['id']}", "conversationType": "personal"}

    def message(self, who: dict[str, str], text: str, **conversation: Any) -> dict[str, Any]:
        activity = self._base("message", who, conversation or self.personal(who))
        activity["text"] = text
        return activity

    def channel_message(
        self, who: dict[str, str], text: str, thread: str | None = None
    ) -> dict[str, Any]:
        """A message in the compliance channel: top-level, or a reply in `thread`."""
        activity = self._base("message", who, {})
        root = thread or activity["id"]
        activity["conversation"].update(
            id=f"{CHANNEL};messageid={root}", conversationType="channel", isGroup=True
        )
        activity["channelData"].update(
            teamsChannelId=CHANNEL, team={"id": TEAM}, channel={"id": CHANNEL}
        )
        activity["text"] = f"<at>Clearpost</at> {text}" if thread is None else text
        return activity

    def installed_in_channel(self) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            OFFICER,
            {"id": CHANNEL, "conversationType": "channel", "isGroup": True},
        )
        activity["membersAdded"] = [BOT]
        activity["channelData"].update(
            eventType="teamMemberAdded", team={"id": TEAM}, channel={"id": CHANNEL}
        )
        return activity

    def invoke(
        self, who: dict[str, str], name: str, value: dict[str, Any], **conversation: Any
    ) -> dict[str, Any]:
        activity = self._base("invoke", who, conversation or self.personal(who))
        activity["name"] = name
        activity["value"] = value
        return activity

    def card_action(
        self, who: dict[str, str], verb: str, post_id: int, revision_hash: str, **inputs: str
    ) -> dict[str, Any]:
        data = {"post_id": post_id, "revision_hash": revision_hash, **inputs}
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
        conversation = {"id": f"{CHANNEL};messageid=root", "conversationType": "channel"}
        return self.invoke(who, "adaptiveCard/action", value, **conversation)

    def file_consent(
        self, who: dict[str, str], action: str, context: dict[str, Any], upload_url: str = ""
    ) -> dict[str, Any]:
        """The invoke Teams sends when a person accepts or declines a file consent card."""
        value: dict[str, Any] = {"type": "fileUpload", "action": action, "context": context}
        if action == "accept":
            name = upload_url.rsplit("/", 1)[-1]
            value["uploadInfo"] = {
                "contentUrl": f"https://contoso.sharepoint.com/personal/nurse/Documents/{name}",
                "name": name,
                "uploadUrl": upload_url,
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                "fileType": "xlsx",
                "etag": "1",
            }
        return self.invoke(who, "fileConsent/invoke", value)

    def file_message(
        self, who: dict[str, str], name: str, download_url: str, file_type: str = "xlsx"
    ) -> dict[str, Any]:
        """A file sent to the bot in a personal chat, as Teams delivers it."""
        activity = self.message(who, "")
        activity["attachments"] = [
            {
                "contentType": "application/vnd.microsoft.teams.file.download.info",
                "contentUrl": f"https://contoso.sharepoint.com/personal/nurse/Documents/{name}",
                "name": name,
                "content": {
                    "downloadUrl": download_url,
                    "uniqueId": "2250D938-8870-4044-9F2C-5BBDEBA70C9D",
                    "fileType": file_type,
                    "etag": "1",
                },
            }
        ]
        return activity

    def refresh(self, who: dict[str, str], post_id: int) -> dict[str, Any]:
        """The invoke a Teams client sends to get its reader's view of a card with `refresh`."""
        action = {"type": "Action.Execute", "verb": "refresh", "data": {"post_id": post_id}}
        value = {"action": action, "trigger": "automatic"}
        conversation = {"id": f"{CHANNEL};messageid=root", "conversationType": "channel"}
        return self.invoke(who, "adaptiveCard/action", value, **conversation)
