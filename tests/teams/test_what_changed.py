"""An edit's card and thread reply in Teams say what changed."""

from __future__ import annotations

from tests.teams.harness import OFFICER
from tests.teams.test_http_flow import edit_text, in_thread, propose


def test_an_edit_shows_the_words_that_changed_on_the_card_and_in_the_thread(teams, connector, acts):
    post = propose(teams, acts)
    teams.post(
        acts.card_action(
            OFFICER, "request_changes", post.id, post.revision.hash, reason="Name the clinic"
        )
    )
    teams.settle()

    edit_text(teams, acts, post.id, "Flu shots are in at Elm St! Walk-ins welcome.")

    card = connector.sent(lambda c: c.method == "PUT")[-1]
    assert 'Text: 4 word(s) added, 1 removed\n  "in!" → "in at Elm St!"' in card.card_text
    reply = connector.sent(in_thread(post.thread.ts))[-1].text
    assert reply.splitlines() == [
        "Nora Nurse edited the post (revision 2): the text changed.",
        "Text: 4 word(s) added, 1 removed",
        '  "in!" → "in at Elm St!"',
    ]
