"""LinkedIn against a stand-in that answers as the Posts API documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.publishers.base import CheckFailed
from adapters.publishers.linkedin import OUTCOMES, UPLOAD_OUTCOMES, LinkedInPublisher
from adapters.publishers.versions import LINKEDIN
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "AQX-linkedin-token-SECRET"
PINNED_LINKEDIN = "202603"  # versions.LINKEDIN; spelled out so a silent change shows here
URN = "urn:li:share:6844785523593134080"
REPLIES = {
    **COMMON_REPLIES,
    "201": Reply(201, headers={"x-restli-id": URN}),
    "422": Reply(422, {"message": "Commentary is too long", "status": 422}),
    "malformed": Reply(201),
    # What LinkedIn answers a retired LinkedIn-Version (202510 after 15 Oct 2026).
    "426 NONEXISTENT_VERSION": Reply(
        426,
        {
            "status": 426,
            "code": "NONEXISTENT_VERSION",
            "message": "Requested version 20251001 is not active",
        },
    ),
    "400 NONEXISTENT_VERSION": Reply(
        400,
        {
            "status": 400,
            "code": "NONEXISTENT_VERSION",
            "message": "Requested version 20251001 is not active",
        },
    ),
}


@pytest.fixture
def linkedin(standin):
    config = channel_at(
        standin, "linkedin", "linkedin-clinic", {"access_token": TOKEN}, organization_id="2414183"
    )
    publisher = LinkedInPublisher(config)
    yield publisher
    publisher.close()


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_linkedin_becomes_the_outcome_in_the_table(standin, linkedin, row):
    standin.script("POST", "/rest/posts", REPLIES[row.when])

    result = linkedin.publish(job_for("linkedin-clinic"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert TOKEN not in result.message and "Flu shots" not in result.message
    if "NONEXISTENT_VERSION" in row.when:
        assert "Clearpost needs an update" in result.message
        assert "refused the post" not in result.message


def test_a_post_carries_the_version_headers_and_the_organization_as_author(standin, linkedin):
    standin.script("POST", "/rest/posts", REPLIES["201"])

    result = linkedin.publish(job_for("linkedin-clinic", text="Flu shots (walk-in) #health"))

    (request,) = standin.requests
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.header("linkedin-version") == PINNED_LINKEDIN
    assert request.header("x-restli-protocol-version") == "2.0.0"
    body = request.json()
    assert body["author"] == "urn:li:organization:2414183"
    assert body["commentary"] == r"Flu shots \(walk-in\) \#health"
    assert (body["visibility"], body["lifecycleState"]) == ("PUBLIC", "PUBLISHED")
    assert result == Published(URN, f"https://www.linkedin.com/feed/update/{URN}/")


def test_the_pinned_version_is_the_one_in_the_versions_table():
    assert LINKEDIN.version == PINNED_LINKEDIN


def test_a_refusal_reads_in_linkedins_own_words(standin, linkedin):
    standin.script("POST", "/rest/posts", REPLIES["422"])

    result = linkedin.publish(job_for("linkedin-clinic"))

    assert "Commentary is too long" in result.message


def test_check_names_the_organization(standin, linkedin):
    standin.script(
        "GET", "/rest/organizations/2414183", Reply(200, {"localizedName": "Riverside Clinic"})
    )

    assert linkedin.check() == "Riverside Clinic (organization 2414183)"
    assert standin.requests[0].header("linkedin-version") == PINNED_LINKEDIN


def test_check_on_a_retired_version_says_clearpost_needs_an_update(standin, linkedin):
    standin.script("GET", "/rest/organizations/2414183", REPLIES["426 NONEXISTENT_VERSION"])

    with pytest.raises(CheckFailed, match="Clearpost needs an update"):
        linkedin.check()


INIT = "/rest/images"
IMAGE_URN = "urn:li:image:C4E10AQFoyyAjHPMQuQ"
UPLOAD = "/dms-uploads/sp/C4E10AQFoyyAjHPMQuQ/uploaded-image/0"


def _script_images(server, *, initialize: Reply | None = None, put: Reply | None = None) -> None:
    for name in ("a.jpg", "b.png"):
        server.script("GET", f"/media/{name}", Reply(200, body=b"img-" + name.encode(), headers={}))
    server.script(
        "POST",
        INIT,
        initialize
        or Reply(
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": 1650567510704,
                    "uploadUrl": f"{server.base_url}{UPLOAD}",
                    "image": IMAGE_URN,
                }
            },
        ),
    )
    server.script("PUT", UPLOAD, put or Reply(201))
    server.script("POST", "/rest/posts", REPLIES["201"])


UPLOAD_REPLIES = {
    "uploaded": {},
    "initialize 403": {"initialize": Reply(403, {"message": "Not enough permissions"})},
    "initialize malformed": {"initialize": Reply(200, {"value": {}})},
    "put 5xx": {"put": Reply(502)},
}


@pytest.mark.parametrize("row", UPLOAD_OUTCOMES, ids=[row.when for row in UPLOAD_OUTCOMES])
def test_each_end_of_an_image_upload_becomes_the_outcome_in_the_table(standin, linkedin, row):
    _script_images(standin, **UPLOAD_REPLIES[row.when])

    result = linkedin.publish(
        job_for("linkedin-clinic", media=(f"{standin.base_url}/media/a.jpg",))
    )

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    assert len(standin.to("POST", "/rest/posts")) == (1 if kind == "published" else 0)


def test_an_image_is_registered_for_the_page_put_and_named_in_the_post(standin, linkedin):
    _script_images(standin)

    linkedin.publish(job_for("linkedin-clinic", media=(f"{standin.base_url}/media/a.jpg",)))

    init = standin.to("POST", INIT)[0]
    assert init.query == {"action": ["initializeUpload"]}
    assert init.json() == {"initializeUploadRequest": {"owner": "urn:li:organization:2414183"}}
    assert init.header("linkedin-version") == PINNED_LINKEDIN
    put = standin.to("PUT", UPLOAD)[0]
    assert put.body == b"img-a.jpg"
    assert put.header("authorization") == f"Bearer {TOKEN}"
    post = standin.to("POST", "/rest/posts")[0].json()
    assert post["content"] == {"media": {"id": IMAGE_URN}}


def test_two_images_make_a_multi_image_post(standin, linkedin):
    _script_images(standin)
    media = (f"{standin.base_url}/media/a.jpg", f"{standin.base_url}/media/b.png")

    linkedin.publish(job_for("linkedin-clinic", media=media))

    assert len(standin.to("PUT", UPLOAD)) == 2
    post = standin.to("POST", "/rest/posts")[0].json()
    assert post["content"] == {"multiImage": {"images": [{"id": IMAGE_URN}, {"id": IMAGE_URN}]}}


def test_each_image_carries_its_alt_text_in_the_post(standin, linkedin):
    _script_images(standin)
    one = (f"{standin.base_url}/media/a.jpg",)
    two = (*one, f"{standin.base_url}/media/b.png")

    linkedin.publish(job_for("linkedin-clinic", media=one, media_alt=("A nurse",)))
    linkedin.publish(job_for("linkedin-clinic", media=two, media_alt=("", "Opening hours")))

    single, multi = (r.json()["content"] for r in standin.to("POST", "/rest/posts"))
    assert single == {"media": {"id": IMAGE_URN, "altText": "A nurse"}}
    assert multi == {
        "multiImage": {"images": [{"id": IMAGE_URN}, {"id": IMAGE_URN, "altText": "Opening hours"}]}
    }


def _with_media(*media: str) -> Content:
    return Content("hi", ("linkedin-clinic",), datetime(2026, 12, 1, tzinfo=UTC), media=media)


def test_validation_takes_up_to_twenty_jpg_png_or_gif_images(linkedin):
    twenty = tuple(f"https://c.example/{i}.png" for i in range(20))

    assert linkedin.validate("linkedin-clinic", _with_media(*twenty)) == []
    assert (
        "at most 20"
        in linkedin.validate("linkedin-clinic", _with_media(*twenty, "https://c.example/x.gif"))[0]
    )


def test_validation_refuses_video_and_webp_in_plain_words(linkedin):
    problems = linkedin.validate(
        "linkedin-clinic", _with_media("https://c.example/tour.mp4", "https://c.example/a.webp")
    )

    assert problems == [
        "linkedin-clinic: media 1 is video; LinkedIn takes image here.",
        "linkedin-clinic: media 2 must be a JPG, PNG or GIF for LinkedIn.",
    ]
