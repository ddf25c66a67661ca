"""Teams over HTTP: Teams-format activities posted to the real `/api/messages`, every outgoing
activity recorded by the connector stand-in. The whole approval flow, as people see it."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import State
from bot.ports import Notice
from tests.teams.harness import CHANNEL, GROUP_OFFICER, NURSE, OFFICER, STRANGER

PROPOSAL = "propose x-main,facebook tomorrow 9am Flu shots are in! Walk-ins welcome."


def in_channel(call) -> bool:  # type: ignore[no-untyped-def]
    return call.conversation == CHANNEL


def in_thread(root: str):  # type: ignore[no-untyped-def]
    return lambda call: call.conversation == f"{CHANNEL};messageid={root}"


def to_nurse(call) -> bool:  # type: ignore[no-untyped-def]
    return call.conversation == f"a:personal-{NURSE['id']}"


def propose(teams, acts, text: str = PROPOSAL):  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    response = teams.post(acts.message(NURSE, text))
    assert response.status_code == 202  # answered at once; the work follows the answer
    return teams.core.workflow.my_posts(teams.core.workflow.get(1).proposer)[0]


def edit_text(teams, acts, post_id: int, text: str):  # type: ignore[no-untyped-def]
    """The proposer opens the edit dialog, changes the text and saves; the answer to the save."""
    edit_form = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": post_id}})
    )
    form = edit_form.json()["task"]["value"]["card"]["content"]
    values = {i["id"]: i.get("value", "") for i in form["body"] if "id" in i}
    values.update(text=text)
    saved = teams.post(
        acts.invoke(NURSE, "task/submit", {"data": {**values, **form["actions"][0]["data"]}})
    )
    teams.settle()
    return saved


def test_a_one_line_proposal_posts_an_approval_card_in_the_compliance_channel(
    teams, connector, acts
):
    post = propose(teams, acts)

    card = connector.sent(lambda c: in_channel(c) and c.method == "POST")[0]
    assert "Flu shots are in!" in card.card_text
    assert "Nora Nurse" in card.card_text
    assert "x-main, facebook-clinic" in card.card_text
    assert "actions" not in card.card  # the buttons come with each approver's refreshed view
    assert card.card["refresh"]["action"]["verb"] == "refresh"
    assert post.thread is not None and post.thread.ts == connector.sent(in_channel)[0].body.get(
        "id", post.thread.ts
    )
    assert "Proposed post #1" in connector.sent(to_nurse)[-1].text


def test_approving_refreshes_the_card_replies_in_the_thread_and_tells_the_proposer(
    teams, connector, acts
):
    post = propose(teams, acts)

    answer = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    teams.settle()

    assert answer.status_code == 200
    refreshed = answer.json()["value"]
    assert "Approved" in str(refreshed)
    assert [a["title"] for a in refreshed["actions"]] == ["Stop this post"]
    update = connector.sent(lambda c: c.method == "PUT")[-1]
    assert update.activity_id == post.thread.ts and "Approved by Olga Officer" in update.card_text
    reply = connector.sent(in_thread(post.thread.ts))[-1]
    assert reply.text.startswith("Approved by Olga Officer. It will publish Thu 26 Nov 2026")
    dm = connector.sent(to_nurse)[-1]
    assert "Post #1: Approved by Olga Officer" in dm.card_text
    assert post.thread.url in str(dm.card)
    assert teams.core.workflow.get(post.id).state is State.APPROVED


def test_a_delivery_outcome_is_a_reply_in_the_cards_thread(teams, connector, acts):
    post = propose(teams, acts)
    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    approved = teams.core.workflow.get(post.id)

    teams.core.workflow.tell(
        Notice(approved, "delivery", "Clearpost", "Published on x-main: https://x.example/1")
    )
    teams.settle()

    replies = [c.text for c in connector.sent(in_thread(post.thread.ts))]
    assert replies[-1] == "Published on x-main: https://x.example/1"


def test_changes_requested_then_edited_then_approved_again(teams, connector, acts):
    post = propose(teams, acts)

    no_reason = teams.post(
        acts.card_action(OFFICER, "request_changes", post.id, post.revision.hash)
    )
    asked = teams.post(
        acts.card_action(
            OFFICER, "request_changes", post.id, post.revision.hash, reason="Name the clinics"
        )
    )
    teams.settle()
    saved = edit_text(teams, acts, post.id, "Flu shots at Elm St and Oak Ave clinics!")
    thread = [c.text for c in connector.sent(in_thread(post.thread.ts))]
    revised = teams.core.workflow.get(post.id)
    approved = teams.post(acts.card_action(OFFICER, "approve", post.id, revised.revision.hash))

    assert "Say why you ask for changes" in str(no_reason.json()["value"])
    assert "Olga Officer asked for changes." in str(asked.json()["value"])
    assert any(
        "Post #1: Olga Officer asked for changes: Name the clinics" in c.card_text
        for c in connector.sent(to_nurse)
    )
    assert saved.json()["task"] == {
        "type": "message",
        "value": "Revision 2 of post #1 for Thu 26 Nov 2026 09:00 EST; it is waiting for approval.",
    }
    assert thread[-1].startswith("Nora Nurse edited the post (revision 2): the text changed.\n")
    assert approved.status_code == 200
    assert teams.core.workflow.get(post.id).state is State.APPROVED
    assert teams.core.workflow.get(post.id).revision.number == 2


def test_someone_who_is_not_an_approver_is_told_why_on_the_card(teams, connector, acts):
    post = propose(teams, acts)

    answer = teams.post(acts.card_action(STRANGER, "approve", post.id, post.revision.hash))

    assert "Only compliance approvers can decide on post #1" in str(answer.json()["value"])
    assert teams.core.workflow.get(post.id).state is State.IN_REVIEW


def test_nobody_approves_their_own_post(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    teams.post(acts.message(OFFICER, "propose x-main tomorrow 9am Flu shots are in!"))
    post = teams.core.workflow.get(1)

    answer = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))

    assert "You proposed post #1, so another approver has to decide it." in str(answer.json())
    assert teams.core.workflow.get(post.id).state is State.IN_REVIEW


def test_a_member_of_the_approver_group_can_approve(teams, connector, acts):
    post = propose(teams, acts)

    teams.post(acts.card_action(GROUP_OFFICER, "approve", post.id, post.revision.hash))

    assert teams.core.workflow.get(post.id).state is State.APPROVED


def test_a_redelivered_message_creates_one_proposal(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    activity = acts.message(NURSE, PROPOSAL)

    teams.post(activity)
    teams.post(activity)

    assert len(teams.core.workflow.my_posts(teams.core.workflow.get(1).proposer)) == 1
    assert len(connector.sent(lambda c: in_channel(c) and c.method == "POST")) == 1
    assert [c.text for c in connector.sent(to_nurse)].count(
        "Proposed post #1 for Thu 26 Nov 2026 09:00 EST; it is waiting for approval."
    ) == 2


def test_a_double_click_on_approve_records_one_decision(teams, connector, acts):
    post = propose(teams, acts)

    teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    second = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    teams.settle()

    assert "Post #1 is approved, so it cannot be approved." in str(second.json()["value"])
    events = [e.action for e in teams.core.workflow.audit_trail(post.id)]
    assert events == ["proposed", "approved"]
    assert len(connector.sent(in_thread(post.thread.ts))) == 1


def test_a_decision_on_an_old_revision_is_refused(teams, connector, acts):
    post = propose(teams, acts)
    teams.core.workflow.revise(post.id, post.proposer, text="Flu shots from Tuesday")

    answer = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))

    assert "was edited since you looked at it" in str(answer.json()["value"])
    assert teams.core.workflow.get(post.id).state is State.IN_REVIEW


def test_a_throttled_card_is_posted_after_the_connectors_retry_after(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    connector.fail_next(429, retry_after="1")

    teams.post(acts.message(NURSE, PROPOSAL))

    attempts = [c for c in connector.calls if c.conversation == CHANNEL]
    assert [c.status for c in attempts] == [429, 201]
    assert teams.core.workflow.get(1).thread is not None
    assert "waiting for approval" in connector.sent(to_nurse)[-1].text


def test_a_card_that_cannot_be_posted_keeps_the_proposal_and_says_so(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    connector.fail_next(503, times=4)

    teams.post(acts.message(NURSE, PROPOSAL))
    told = connector.sent(to_nurse)[-1].text
    posted_later = teams.core.workflow.announce_pending(min_age=timedelta(0))

    assert "could not be opened in the compliance channel yet" in told
    assert posted_later == 1
    assert teams.core.workflow.get(1).thread is not None


def test_a_refused_card_is_not_retried(teams, connector, acts):
    teams.post(acts.installed_in_channel())
    connector.fail_next(403)

    teams.post(acts.message(NURSE, PROPOSAL))

    assert [c.status for c in connector.calls if c.conversation == CHANNEL] == [403]
    assert teams.core.workflow.get(1).thread is None


def test_the_edit_dialog_is_refused_on_a_post_that_can_no_longer_be_edited(teams, acts):
    """Slack refused this already; Teams opened the dialog on a withdrawn or published post."""
    post = propose(teams, acts)
    teams.core.workflow.withdraw(post.id, teams.core.workflow.get(post.id).proposer)

    answer = teams.post(
        acts.invoke(NURSE, "task/fetch", {"data": {"clearpost": "edit_form", "post_id": post.id}})
    )

    assert answer.json()["task"] == {
        "type": "message",
        "value": f"Post #{post.id} is withdrawn, so it cannot be edited.",
    }


def test_a_post_screening_blocks_is_approved_with_the_reason_typed_on_the_card(
    teams, connector, acts
):
    post = propose(teams, acts, "propose x-main tomorrow 9am Congrats to our patient Thiago!")

    refused = teams.post(acts.card_action(OFFICER, "approve", post.id, post.revision.hash))
    overridden = teams.post(
        acts.card_action(
            OFFICER, "approve", post.id, post.revision.hash, reason="Signed release in chart"
        )
    )
    teams.settle()

    assert "cannot be approved yet: screening found a person" in str(refused.json())
    assert teams.core.workflow.get(post.id).state is State.APPROVED
    assert overridden.status_code == 200
    replies = [f"{c.text} {c.card_text}" for c in connector.sent(in_thread(post.thread.ts))]
    assert any("overrode the screening findings (a person's name)" in r for r in replies), replies
