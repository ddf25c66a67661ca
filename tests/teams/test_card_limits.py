"""Every Teams card Clearpost builds, at its largest (tests/support/worst_case.py): valid against
the Adaptive Cards schema of the version it declares, within the message budget, and clipped
with a way to read the whole instead of silently."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from adapters.teams import cards, delivery_cards, edit_dialog, full_post
from adapters.teams.budget import MESSAGE_BUDGET, card_message_size
from adapters.teams.delivery_cards import LABELS
from adapters.teams.package import problems
from bot.deliveries import offered
from bot.domain import Post
from tests.support.worst_case import (
    CHANNEL_NAMES,
    LONG_NAME,
    TEAMS_PROPOSER,
    TEXT_60000,
    calendar_posts,
    worst_post,
    worst_posts,
)
from tests.teams.card_checks import assert_card_ok, card_problems
from tests.teams.test_package import settings

ZONE = ZoneInfo("America/New_York")
WORST = list(worst_posts())
MRIS = [f"29:1{'a' * 40}-{i}" for i in range(60)]


def every_card(post: Post) -> dict[str, cards.Card]:
    """Each card a post is shown on, in each of its views."""
    return {
        "approver view": cards.post_card(post, ZONE, buttons=True, refresh_users=MRIS),
        "shared card": cards.post_card(
            post, ZONE, buttons=False, refresh_users=MRIS, note="Waiting", status=LONG_NAME
        ),
        "refusal": cards.post_card(post, ZONE, error=TEXT_60000[:3000], reason="typed"),
        "notice": cards.notice_card(
            f"Post #{post.id}: {TEXT_60000}", link="https://t", edit_post=1
        ),
        "propose form": cards.form_card(CHANNEL_NAMES, {}, token="t"),
        "edit dialog": edit_dialog.edit_card(CHANNEL_NAMES, post, ZONE, token="t"),
        "full post, part 1": full_post.full_post_card(post, 1),
        "full post, last part": full_post.full_post_card(post, 10_000),
        **{
            f"delivery {d.channel}": delivery_cards.delivery_card(
                post,
                d.channel,
                f"{d.last_error} {TEXT_60000[:4000]}",
                [*offered(d.state), *LABELS],
                status=LONG_NAME,
                error=TEXT_60000[:4000],
                refresh_users=MRIS,
            )
            for d in post.deliveries.values()
        },
        "withdraw and stop": cards.notice_card(
            LONG_NAME,
            link="https://t",
            edit_post=1,
            more=delivery_cards.post_buttons(post, True, True),
        ),
    }


@pytest.mark.parametrize(("name", "post"), WORST, ids=[n for n, _ in WORST])
def test_every_card_of_a_worst_case_post_is_valid_and_within_the_budget(name, post):
    found = {view: card_problems(card) for view, card in every_card(post).items()}

    assert {view: p for view, p in found.items() if p} == {}


def test_a_calendar_of_300_posts_fits_and_counts_what_it_leaves_out():
    posts = calendar_posts(300)

    card = cards.calendar_card(posts, ZONE, 14)

    assert_card_ok(card)
    shown = sum(1 for block in card["body"] if block["type"] == "FactSet")
    assert 0 < shown < 300
    assert card["body"][-1]["text"].startswith(f"and {300 - shown} more (send `calendar export`")


def test_a_long_post_is_clipped_with_what_is_left_and_offers_the_whole():
    post = worst_post(TEXT_60000, overrides=False)

    card = cards.post_card(post, ZONE, buttons=True, refresh_users=[])

    runs = [r["text"] for b in card["body"] if b["type"] == "RichTextBlock" for r in b["inlines"]]
    text_shown = runs[1 + 1]  # after "Proposed by: " and the name
    clipped = text_shown.rsplit("… ", 1)
    assert clipped[1].endswith("more characters")
    assert int(clipped[1].split()[0].replace(",", "")) == 60_000 - len(clipped[0])
    assert TEXT_60000.startswith(clipped[0].replace("{\u200b", "{"))
    show = [a for a in card["actions"] if a["title"] == "Show the full post"]
    assert show[0]["data"] == {
        "msteams": {"type": "task/fetch"},
        "clearpost": "show_post",
        "post_id": post.id,
    }
    assert [a["title"] for a in card["actions"][:3]] == ["Approve", "Request changes", "Reject"]


def test_the_full_post_dialog_holds_every_character_across_its_parts():
    post = worst_post(TEXT_60000)
    whole = full_post.full_text(post)

    parts, number = [], 1
    while True:
        card = full_post.full_post_card(post, number)
        assert_card_ok(card)
        parts.append(card["body"][1]["inlines"][0]["text"].replace("{\u200b", "{"))
        if not any(a["title"] == "Next part" for a in card.get("actions", [])):
            break
        number += 1

    assert "".join(parts) == whole
    assert len(parts) > 100  # 14 overrides of 60,000 characters each
    assert TEXT_60000 in whole and all(f"{ch}:\n" in whole for ch in CHANNEL_NAMES)


def test_a_short_post_is_shown_whole_with_no_full_post_button():
    post = worst_post("Flu shots are in!", overrides=False)
    post.revisions[-1] = replace(
        post.revision, problems=(), content=replace(post.content, notes=None)
    )

    card = cards.post_card(post, ZONE, buttons=True, refresh_users=[])

    assert "more characters" not in str(card)
    assert "Show the full post" not in str(card)


def test_the_edit_dialog_keeps_texts_too_long_for_it_out_of_its_inputs():
    post = worst_post(TEXT_60000)

    form = edit_dialog.edit_card(CHANNEL_NAMES, post, ZONE, token="t")

    inputs = [b["id"] for b in form["body"] if "id" in b]
    assert "text" not in inputs and "overrides" not in inputs
    assert "The text (60,000 characters) cannot be edited in a Teams dialog" in str(form)
    assert form["actions"][0]["data"]["kept"] == ["overrides", "text"]
    assert card_message_size(form) <= MESSAGE_BUDGET


def test_a_5000_character_post_without_overrides_is_edited_whole():
    post = worst_post(TEXT_60000[:5000], overrides=False)

    form = edit_dialog.edit_card(CHANNEL_NAMES, post, ZONE, token="t")

    text = [b for b in form["body"] if b.get("id") == "text"]
    assert text and text[0]["value"] == post.content.text
    assert form["actions"][0]["data"]["kept"] == []


def test_the_teams_proposer_long_name_fits_on_the_card():
    post = worst_post(proposer=TEAMS_PROPOSER)

    assert_card_ok(cards.post_card(post, ZONE, buttons=False, refresh_users=MRIS, note="n"))


def test_a_manifest_of_another_manifest_version_is_refused():
    """The schema pins manifestVersion with `const` (and uses if/then): a Draft-4 validator,
    the draft the file declares, skips both; it was accepted before."""
    from adapters.teams.package import manifest

    document = manifest(settings())
    document["manifestVersion"] = "1.5"

    found = problems(document)

    assert found == ["manifestVersion: '1.29' was expected"]
