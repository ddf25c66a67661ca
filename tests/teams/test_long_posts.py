"""Long posts through the real bot: the approval card still reaches the channel (the connector
stand-in refuses what Teams would, 413 over about 100 KB), the whole post can be read in a
dialog, and the edit dialog never loses or rewrites text."""

from __future__ import annotations

from bot.commands import ProposeRequest
from bot.domain import Person
from tests.support.worst_case import TEXT_60000, long_text
from tests.teams.harness import CHANNEL, NURSE

NURSE_PERSON = Person("teams", NURSE["aadObjectId"], NURSE["name"])


def cards_in_channel(connector):  # type: ignore[no-untyped-def]
    return [c for c in connector.calls if c.conversation == CHANNEL and c.method == "POST"]


def dialog_card(answer) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return answer.json()["task"]["value"]["card"]["content"]


def open_edit(teams, acts, post_id: int):  # type: ignore[no-untyped-def]
    data = {"clearpost": "edit_form", "post_id": post_id}
    return teams.post(acts.invoke(NURSE, "task/fetch", {"data": data}))


def submit(teams, acts, form: dict, **changes: str):  # type: ignore[no-untyped-def, type-arg]
    data = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
    data.update(changes)
    return teams.post(
        acts.invoke(NURSE, "task/submit", {"data": {**data, **form["actions"][0]["data"]}})
    )


def proposed(teams, text: str, overrides: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    request = ProposeRequest(
        channels=("x-main", "facebook-clinic", "instagram-clinic", "blog"),
        when="2026-11-27 10:30",
        text=text,
        overrides=overrides or {},
    )
    return teams.core.workflow.propose(request, NURSE_PERSON)


def test_a_60000_character_proposal_reaches_the_channel_clipped_with_the_whole_one_click_away(
    teams, connector, acts
):
    teams.post(acts.installed_in_channel())

    teams.post(acts.message(NURSE, f"propose blog tomorrow 9am {TEXT_60000}"))

    posted = cards_in_channel(connector)
    assert [c.status for c in posted] == [201]
    assert teams.core.workflow.get(1).thread is not None
    card = posted[0].card
    assert "more characters" in posted[0].card_text
    show = next(a for a in card["actions"] if a["title"] == "Show the full post")
    opened = teams.post(acts.invoke(NURSE, "task/fetch", {"data": show["data"]}))
    first = dialog_card(opened)
    assert first["body"][0]["text"].startswith("Post #1, revision 1 · part 1 of 13")
    second = teams.post(acts.invoke(NURSE, "task/submit", {"data": first["actions"][0]["data"]}))
    assert "part 2 of 13" in dialog_card(second)["body"][0]["text"]


def test_an_edit_of_the_time_alone_keeps_texts_too_long_for_the_dialog_exactly(
    teams, connector, acts
):
    long = long_text(12_000)
    overrides = {"x-main": f"x: {long}", "facebook-clinic": f"fb: {long}", "blog": long}
    post = proposed(teams, long, overrides)

    form = dialog_card(open_edit(teams, acts, post.id))
    saved = submit(teams, acts, form, time="11:45")

    assert "cannot be edited in a Teams dialog" in str(form)
    assert saved.json()["task"]["type"] == "message"
    revised = teams.core.workflow.get(post.id)
    assert revised.revision.number == 2
    assert revised.content.text == long
    assert revised.content.overrides == overrides
    assert revised.content.scheduled_at != post.content.scheduled_at


def test_an_unchanged_per_channel_text_over_several_lines_is_not_rewritten(teams, connector, acts):
    overrides = {"x-main": "Flu shots are in!\nWalk-ins welcome at Elm St."}
    post = proposed(teams, "Flu shots are in at both clinics.", overrides)

    form = dialog_card(open_edit(teams, acts, post.id))
    saved = submit(teams, acts, form, text="Flu shots are in at all three clinics.")

    assert saved.json()["task"]["type"] == "message", saved.json()
    revised = teams.core.workflow.get(post.id)
    assert revised.content.overrides == overrides
    assert revised.content.text == "Flu shots are in at all three clinics."


def test_a_refused_edit_comes_back_with_what_was_typed_and_the_long_texts_still_kept(
    teams, connector, acts
):
    long = long_text(30_000)
    post = proposed(teams, long)

    form = dialog_card(open_edit(teams, acts, post.id))
    again = submit(teams, acts, form, date="2020-01-01", notes="Please check the date")

    refused = dialog_card(again)
    assert "past" in str(refused["body"][0]["text"]).lower()
    notes = next(b for b in refused["body"] if b.get("id") == "notes")
    assert notes["value"] == "Please check the date"
    assert not any(b.get("id") == "text" for b in refused["body"])
    assert teams.core.workflow.get(post.id).revision.number == 1


def test_a_refused_proposal_too_long_to_show_again_says_so_instead_of_an_oversized_form(
    teams, connector, acts
):
    data = {
        "channels": "blog",
        "date": "2020-01-01",
        "time": "09:00",
        "text": TEXT_60000,
        "clearpost": "propose_form",
        "token": "t1",
    }

    answer = teams.post(acts.invoke(NURSE, "task/submit", {"data": data}))

    task = answer.json()["task"]
    assert task["type"] == "message"
    assert "Nothing was proposed" in task["value"] and "60,000 characters" in task["value"]
    assert teams.core.workflow.my_posts(NURSE_PERSON) == []
