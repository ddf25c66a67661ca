"""A file attached in the propose modal reaches Instagram: fetched from Slack with the bot token,
kept in Clearpost's media store, and handed to Instagram as a signed link that `clearpost serve`
answers; Instagram (its stand-in) fetches the image from that link as the real one does."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from adapters.media.publishing import MediaLinkingPublisher
from adapters.publishers.base import secret_variable
from bot.domain import State
from tests.slack.harness import SlackWorkspace, dispatching, proposal_values
from tests.standins.networks import Recorded, Reply, StandIn

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40
MEDIA = "/v23.0/1784/media"
PUBLISH = "/v23.0/1784/media_publish"


class Instagram(StandIn):
    """Creating a container makes Instagram GET the image_url; it refuses what it cannot fetch
    (Graph error 9004, as documented for an unreachable or unsupported image)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[int, bytes]] = []
        self.respond("POST", MEDIA, self._container)
        self.script("GET", "/v23.0/c-1", Reply(200, {"id": "c-1", "status_code": "FINISHED"}))
        self.script("POST", PUBLISH, Reply(200, {"id": "179"}))
        self.script("GET", "/v23.0/179", Reply(200, {"permalink": "https://instagram.com/p/1"}))

    def _container(self, request: Recorded) -> Reply:
        url = request.form()["image_url"]
        answer = httpx.get(url, timeout=5)
        self.fetched.append((answer.status_code, answer.content))
        if answer.status_code != 200:
            error = {"message": "Only photo or video can be accepted", "code": 9004}
            return Reply(400, {"error": error})
        return Reply(200, {"id": "c-1"})


@pytest.fixture
def instagram(monkeypatch) -> Any:
    monkeypatch.setenv(secret_variable("instagram-clinic", "access_token"), "IG-token")
    with Instagram() as server:
        yield server


def channels(instagram: StandIn) -> dict[str, Any]:
    return {
        "instagram-clinic": {
            "network": "instagram",
            "base_url": instagram.base_url,
            "ig_user_id": "1784",
            "media_poll_seconds": 0,
        },
        "x-main": {"network": "x"},
    }


@pytest.fixture
def workspace(tmp_path, instagram):
    media = {"folder": str(tmp_path / "media"), "max_mb": 1}
    with SlackWorkspace(
        tmp_path, channels=channels(instagram), media=media, public_base_url="http://pending"
    ) as slack:
        # Served on a port chosen at start: that address is the public one in this test.
        slack.core.media.links.base_url = slack.served.url
        yield slack


def propose_with_file(slack: SlackWorkspace, name: str, content: bytes, **kw: Any) -> str:
    shared = slack.api.share_file("U_NURSE", "D_NURSE", name, content, **kw)
    return propose_with_files(slack, [slack.api._file_object(shared)])


def propose_with_files(slack: SlackWorkspace, files: list[dict[str, Any]]) -> str:
    slack.command("U_NURSE", "")
    values = proposal_values(["instagram-clinic"], "2026-11-26", "09:00", "Flu shots are in!")
    values["media_files"]["media_files"]["files"] = files
    slack.submit("U_NURSE", slack.last_view(), values)
    return slack.last_reply()


def instagram_publisher(slack: SlackWorkspace) -> MediaLinkingPublisher:
    real = {p.channel: p.real for p in slack.served.unscripted}["instagram-clinic"]
    assert isinstance(real, MediaLinkingPublisher)
    return real


def dispatch(slack: SlackWorkspace) -> None:
    with dispatching(slack, {"instagram-clinic": instagram_publisher(slack)}) as dispatcher:
        dispatcher.dispatch_due()


def test_an_image_attached_in_slack_reaches_instagram_through_a_signed_link(workspace, instagram):
    reply = propose_with_file(workspace, "flu-clinic.jpg", JPEG)
    post_id = int(re.search(r"post #(\d+)", reply).group(1))
    post = workspace.workflow.get(post_id)
    assert post.content.media[0].startswith("media:")  # Clearpost's copy, not a Slack link
    assert not post.revision.problems
    downloads = workspace.api.called("download")
    assert downloads and downloads[-1].params == {"authorized": True}  # the bot token was sent

    workspace.click("U_OFFICER", "approve", post_id)
    workspace.clock.advance(hours=21, minutes=1)  # just past Thu 09:00 EST
    dispatch(workspace)

    assert instagram.fetched == [(200, JPEG)]
    image_url = instagram.to("POST", MEDIA)[0].form()["image_url"]
    assert image_url.startswith(workspace.served.url + "/media/") and "sig=" in image_url
    assert workspace.workflow.get(post_id).state is State.PUBLISHED


def test_a_file_slack_will_not_hand_over_is_a_sentence_and_no_post(workspace):
    shared = workspace.api.share_file("U_NURSE", "D_NURSE", "flu.jpg", JPEG)
    workspace.api.forbidden.add(shared.id)

    reply = propose_with_files(workspace, [workspace.api._file_object(shared)])

    assert "Slack did not hand over “flu.jpg” (HTTP 403)" in reply
    assert "nothing was proposed" in reply
    assert workspace.workflow.my_posts(_nurse()) == []


def test_a_file_too_large_or_not_an_image_is_refused_with_a_sentence(workspace):
    too_big = propose_with_file(workspace, "big.jpg", JPEG[:16] + b"\0" * (2**20 + 1))
    assert "larger than 1.0 MB" in too_big and "nothing was proposed" in too_big

    page = propose_with_file(workspace, "flu.jpg", b"<!DOCTYPE html><html>Sign in</html>")
    assert "not an image or a video" in page
    assert workspace.workflow.my_posts(_nurse()) == []


def test_without_a_public_address_an_attached_file_is_refused_at_propose_time(tmp_path, instagram):
    media = {"folder": str(tmp_path / "media")}
    with SlackWorkspace(tmp_path, channels=channels(instagram), media=media) as slack:
        reply = propose_with_file(slack, "flu.jpg", JPEG)
        assert "no public address" in reply and "CLEARPOST_PUBLIC_BASE_URL" in reply
        assert slack.workflow.my_posts(_nurse()) == []
        assert slack.api.called("download") == []  # refused before fetching anything


def test_a_hostile_file_name_stays_inside_the_store(workspace, tmp_path):
    name = "../../etc/\u202epasswd\x00\x1b[31m" + "a" * 300 + ".jpg"
    reply = propose_with_file(workspace, name, JPEG)
    post_id = int(re.search(r"post #(\d+)", reply).group(1))

    stored = sorted(p.name for p in (tmp_path / "media").iterdir())
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{64}\.jpg", stored[0])
    assert not list(tmp_path.parent.glob("etc")) and not list(tmp_path.glob("**/*passwd*"))
    name = workspace.workflow.get(post_id).content.media[0].partition("#")[2]
    assert name.startswith("passwd[31maaa") and name.endswith("….jpg") and len(name) <= 80
    assert not any(c in name for c in "\u202e\x00\x1b/")


def test_a_file_name_is_screened_like_the_text(workspace):
    reply = propose_with_file(workspace, "Maria-Lopez-before-after.jpg", JPEG)
    post = workspace.workflow.get(int(re.search(r"post #(\d+)", reply).group(1)))

    assert any("Lopez" in problem for problem in post.revision.problems), post.revision.problems


def _nurse():
    from bot.domain import Person

    return Person("slack", "U_NURSE")


def test_a_file_attached_in_the_edit_modal_replaces_the_media_with_its_stored_copy(workspace):
    from tests.slack.harness import form_values

    reply = propose_with_file(workspace, "flu.jpg", JPEG)
    post_id = int(re.search(r"post #(\d+)", reply).group(1))
    png = b"\x89PNG\r\n\x1a\n" + b"p" * 300
    shared = workspace.api.share_file("U_NURSE", "D_NURSE", "flu-2.png", png)

    workspace.click("U_NURSE", "edit", post_id)
    values = form_values(workspace.last_view())
    values["media_files"] = {"media_files": {"type": "file_input", "files": []}}
    values["media_files"]["media_files"]["files"] = [workspace.api._file_object(shared)]
    values["media_urls"]["media_urls"]["value"] = ""
    workspace.submit("U_NURSE", workspace.last_view(), values)

    post = workspace.workflow.get(post_id)
    assert post.revision.number == 2, workspace.last_reply()
    assert re.fullmatch(r"media:[0-9a-f]{64}\.png#flu-2\.png", post.content.media[0])
    # Instagram takes JPEG only: the stored PNG is judged as the network would judge it.
    assert any("must be a JPEG" in p for p in post.revision.problems), post.revision.problems


def test_the_files_of_a_message_proposed_by_the_shortcut_are_stored_on_submit(workspace):
    shared = workspace.api.share_file("U_NURSE", "C_GENERAL", "flu.jpg", JPEG)
    message = {"type": "message", "user": "U_NURSE", "ts": "1.2", "text": "Flu shots are in!"}
    message["files"] = [workspace.api._file_object(shared)]
    workspace.message_shortcut("U_NURSE", message)
    values = proposal_values(["instagram-clinic"], "2026-11-26", "09:00", "Flu shots are in!")
    workspace.submit("U_NURSE", workspace.last_view(), values)

    post_id = int(re.search(r"post #(\d+)", workspace.last_reply()).group(1))
    media = workspace.workflow.get(post_id).content.media
    assert len(media) == 1 and re.fullmatch(r"media:[0-9a-f]{64}\.jpg#flu\.jpg", media[0])
    assert workspace.api.called("files.info")[-1].params["file"] == shared.id


def test_approvers_read_an_attached_file_by_its_name_not_its_store_key(workspace):
    propose_with_file(workspace, "flu-clinic.jpg", JPEG)

    parent = str(workspace.api.succeeded("chat.postMessage")[0].params["blocks"])

    assert "Media: flu-clinic.jpg (attached, kept by Clearpost)" in parent
    assert "media:" not in parent
