"""Teams-format activities, as the Bot Framework delivers them to `/api/messages`: messages in a
personal chat or the compliance channel, the bot's install, card actions, dialogs (task/fetch,
task/submit), file consent and files. Each carries the connector stand-in's URL as its
serviceUrl, so everything the bot sends back is recorded there."""

from __future__ import annotations

import itertools
import time
from typing import Any

TENANT = "tenant-1"
CHANNEL = "19:compliance@thread.tacv2"
TEAM = "19:team@thread.tacv2"
BOT = {"id": "28:clearpost-bot", "name": "Clearpost"}
NURSE = {"id": "29:nurse", "name": "Nora Nurse", "aadObjectId": "aad-nurse"}
OFFICER = {"id": "29:officer", "name": "Olga Officer", "aadObjectId": "aad-officer"}
GROUP_OFFICER = {"id": "29:group", "name": "Gus Group", "aadObjectId": "aad-group"}
STRANGER = {"id": "29:stranger", "name": "Sam Stranger", "aadObjectId": "aad-stranger"}
IN_THREAD = {"id": f"{CHANNEL};messageid=root", "conversationType": "channel"}


class Activities:
    """Activities numbered so each is a new delivery unless reused on purpose; the ids carry
    when this maker was made, so a long-running server never sees one twice."""

    def __init__(self, service_url: str) -> None:
        self.service_url = service_url
        self._ids = itertools.count(1)
        self._run = time.time_ns()

    def next_id(self) -> str:
        return f"act-{self._run}-{next(self._ids)}"

    def _base(self, kind: str, who: dict[str, str], conversation: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": kind,
            "id": self.next_id(),
            "timestamp": "2026-11-25T17:00:00.000Z",
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
        self, who: dict[str, str], name: str, value: Any, **conversation: Any
    ) -> dict[str, Any]:
        """An invoke in a personal chat unless `conversation` is given; `value=None` sends none."""
        activity = self._base("invoke", who, conversation or self.personal(who))
        activity["name"] = name
        if value is not None:
            activity["value"] = value
        return activity

    def execute(
        self, who: dict[str, str], verb: str, data: dict[str, Any], **value: Any
    ) -> dict[str, Any]:
        """An Action.Execute pressed on a card in a channel thread."""
        action = {"type": "Action.Execute", "verb": verb, "data": data}
        return self.invoke(who, "adaptiveCard/action", {"action": action, **value}, **IN_THREAD)

    def card_action(
        self, who: dict[str, str], verb: str, post_id: int, revision_hash: str, **inputs: str
    ) -> dict[str, Any]:
        data = {"post_id": post_id, "revision_hash": revision_hash, **inputs}
        return self.execute(who, verb, data)

    def refresh(self, who: dict[str, str], post_id: int) -> dict[str, Any]:
        """The invoke a Teams client sends to get its reader's view of a card with `refresh`."""
        return self.execute(who, "refresh", {"post_id": post_id}, trigger="automatic")

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
