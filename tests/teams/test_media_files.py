"""An image sent with a Teams proposal is fetched from its downloadUrl, kept in Clearpost's media
store and referred to by the post; a file that cannot be fetched is a sentence and no post."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.ports import PostQuery
from tests.teams.harness import NURSE, ServedTeams, served_teams

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"x" * 500


@pytest.fixture
def teams(tmp_path, monkeypatch, teams_clock, connector) -> Iterator[ServedTeams]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", "1")
    media = {"folder": str(tmp_path / "media")}
    with served_teams(
        tmp_path, clock=teams_clock, media=media, public_base_url="https://clearpost.example"
    ) as served:
        yield served


def to_nurse(call) -> bool:  # type: ignore[no-untyped-def]
    return call.conversation == f"a:personal-{NURSE['id']}"


def propose_with(teams, connector, acts, name: str, status: int = 200, options: str = ""):  # type: ignore[no-untyped-def]
    teams.post(acts.installed_in_channel())
    activity = acts.file_message(NURSE, name, connector.serve_file(name, JPEG, status), "jpg")
    activity["text"] = f"propose instagram-clinic tomorrow 9am Flu shots are in!{options}"
    teams.post(activity)
    return connector.sent(to_nurse)[-1].text


def test_an_image_sent_with_a_proposal_is_kept_in_the_store(teams, connector, acts, tmp_path):
    reply = propose_with(teams, connector, acts, "flu-clinic.jpg")

    [post] = teams.core.workflow.posts(PostQuery())
    assert "post #1" in reply and "waiting for approval" in reply, reply
    assert re.fullmatch(r"media:[0-9a-f]{64}\.jpg#flu-clinic\.jpg", post.content.media[0])
    key = post.content.media[0][len("media:") :].partition("#")[0]
    assert (tmp_path / "media" / key).read_bytes() == JPEG
    assert not post.revision.problems, post.revision.problems


def test_a_file_teams_will_not_hand_over_is_a_sentence_and_no_post(teams, connector, acts):
    reply = propose_with(teams, connector, acts, "flu-clinic.jpg", status=403)

    assert "Teams did not hand over “flu-clinic.jpg” (HTTP 403)" in reply
    assert teams.core.workflow.posts(PostQuery()) == []


def test_the_approval_card_names_the_attached_file(teams, connector, acts):
    propose_with(teams, connector, acts, "flu-clinic.jpg")

    cards = str([c.body for c in connector.sent() if not to_nurse(c)])

    assert "flu-clinic.jpg (attached, kept by Clearpost)" in cards
    assert "media:" not in cards


def test_a_typed_alt_text_stays_with_its_media_url_after_the_attached_file(teams, connector, acts):
    url = "https://cdn.example/hours.jpg"
    propose_with(
        teams, connector, acts, "flu-clinic.jpg", options=f" --media {url} --alt Our hours"
    )

    [post] = teams.core.workflow.posts(PostQuery())
    assert post.content.media[1:] == (url,)
    assert post.content.media_alt == ("", "Our hours")  # the attached file has none
