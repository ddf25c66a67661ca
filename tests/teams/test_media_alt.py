"""Media descriptions (alt text) in Teams: typed in the proposal dialog, shown on the approval
card with screening's finding, edited in the edit dialog (which needs approval again). Every
card is checked against the Adaptive Card schema by the harness."""

from __future__ import annotations

from bot.domain import State
from tests.teams.harness import NURSE, OFFICER
from tests.teams.test_dialogs_and_threads import filled, form_of
from tests.teams.test_http_flow import in_channel, in_thread

PHOTO = "https://cdn.example.com/uploads/IMG_2231.jpg"
FORM = {
    "channels": "x-main",
    "date": "2026-11-27",
    "time": "10:30",
    "text": "Back on the trail!",
    "media": PHOTO,
}


def propose(teams, acts, alt: str):  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    form = form_of(teams.post(acts.invoke(NURSE, "task/fetch", {"data": {}})))
    data = filled(form, **FORM, media_alt=alt)
    answer = teams.post(acts.invoke(NURSE, "task/submit", {"data": data}))
    teams.settle()
    assert answer.json()["task"]["type"] == "message", answer.json()
    return teams.core.workflow.get(1)


def test_an_alt_text_typed_in_the_dialog_is_on_the_card_and_screened(teams, connector, acts):
    post = propose(teams, acts, "Photo of Maria Lopez after her knee replacement")

    assert post.content.media_alt == ("Photo of Maria Lopez after her knee replacement",)
    card = connector.sent(lambda c: in_channel(c) and c.method == "POST")[0]
    assert 'alt text: "Photo of Maria Lopez after her knee replacement"' in card.card_text
    assert '"Maria Lopez" (in the alt text of "IMG_2231.jpg")' in card.card_text


def test_an_alt_text_changed_in_the_edit_dialog_needs_approval_again(teams, connector, acts):
    post = propose(teams, acts, "A runner on a forest trail")
    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    assert teams.core.workflow.get(post.id).state is State.APPROVED

    opened = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": post.id}})
    )
    form = form_of(opened)
    shown = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
    assert shown["media_alt"] == "A runner on a forest trail"
    data = filled(form, media_alt="A runner on a forest trail at sunrise")
    teams.post(acts.invoke(NURSE, "task/submit", {"data": data}))
    teams.settle()

    revised = teams.core.workflow.get(post.id)
    assert revised.state is State.IN_REVIEW
    assert revised.content.media_alt == ("A runner on a forest trail at sunrise",)
    thread = [c.text for c in connector.sent(in_thread(post.thread.ts))]
    assert any("the media descriptions changed" in t for t in thread), thread
