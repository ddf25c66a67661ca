"""An edit's card and thread reply in Teams say what changed."""

from __future__ import annotations

from tests.teams.harness import NURSE, OFFICER
from tests.teams.test_http_flow import in_thread, propose


def test_an_edit_shows_the_words_that_changed_on_the_card_and_in_the_thread(teams, connector, acts):
    post = propose(teams, acts)
    teams.post(
        acts.card_action(
            OFFICER, "request_changes", post.id, post.revision.hash, reason="Name the clinic"
        )
    )
    teams.settle()
    edit_form = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": post.id}})
    )
    form = edit_form.json()["task"]["value"]["card"]["content"]
    values = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
    values.update(text="Flu shots are in at Elm St! Walk-ins welcome.")

    teams.post(
        acts.invoke(NURSE, "task/submit", {"data": {**values, **form["actions"][0]["data"]}})
    )
    teams.settle()

    card = connector.sent(lambda c: c.method == "PUT")[-1]
    assert 'Text: 4 word(s) added, 1 removed\n  "in!" → "in at Elm St!"' in card.card_text
    reply = connector.sent(in_thread(post.thread.ts))[-1].text
    assert reply.splitlines() == [
        "Nora Nurse edited the post (revision 2): the text changed.",
        "Text: 4 word(s) added, 1 removed",
        '  "in!" → "in at Elm St!"',
    ]
