"""The reviewer sees what gets published: on the Teams approval card the post text, overrides,
media and names are plain text (RichTextBlock TextRuns, never markdown), `{{DATE(…)}}` is shown
as typed, and no link is built from what a person wrote. Before, the text was a markdown
TextBlock, templates were evaluated, and each media URL became `[url](url)`, so a media "URL"
with `](https://…)` in it was a disguised link."""

from __future__ import annotations

from typing import Any

from bot.commands import ProposeRequest
from bot.domain import Person
from tests.teams.harness import NURSE, OFFICER
from tests.teams.test_http_flow import in_channel, in_thread, propose

TEXT = "**Free** [flu shots](https://evil.example/) on {{DATE(2017-02-14T06:08:39Z, SHORT)}}"
MEDIA = "https://cdn.example.org/a.jpg](https://evil.example/x"
NAME = "[Nora](https://evil.example/) **Nurse**"


def blocks(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "type" in node:
            found.append(node)
        for value in node.values():
            found += blocks(value)
    elif isinstance(node, list):
        for item in node:
            found += blocks(item)
    return found


def test_post_text_overrides_media_and_names_are_plain_text_on_the_card(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    request = ProposeRequest(
        channels=("x-main", "facebook"),
        when="tomorrow 9am",
        text=TEXT,
        overrides={"facebook": "_Only_ on [Facebook](https://evil.example/)"},
        media=(MEDIA,),
        notes="- a list? {{TIME(2017-02-14T06:08:39Z)}}",
    )
    teams.core.workflow.propose(request, Person("teams", NURSE["aadObjectId"], NAME))
    teams.settle()

    card = connector.sent(lambda c: in_channel(c) and c.method == "POST")[0].card
    everything = blocks(card)
    runs = [b["text"] for b in everything if b["type"] == "TextRun"]
    markdown = [b.get("text", "") for b in everything if b["type"] == "TextBlock"]
    facts = [f["value"] for b in everything if b["type"] == "FactSet" for f in b["facts"]]

    shown = "".join(runs).replace("\u200b", "")
    for written in (TEXT, MEDIA, NAME, "_Only_ on [Facebook](https://evil.example/)"):
        assert written in shown  # character for character, as it will be published
    assert "{{DATE(2017" not in "".join(runs)  # not evaluated by Teams
    assert not any("evil.example" in text for text in markdown + facts)
    assert not any(b["type"] == "Action.OpenUrl" for b in everything)


def test_a_reason_replied_in_the_thread_is_plain_text(teams, connector, acts):
    post = propose(teams, acts)
    reason = "See [the form](https://evil.example/) **now**"

    teams.post(
        acts.card_action(OFFICER, "request_changes", post.id, post.revision.hash, reason=reason)
    )
    teams.settle()

    reply = connector.sent(in_thread(post.thread.ts))[-1]
    assert reason in reply.text
    assert reply.body.get("textFormat") == "plain"
