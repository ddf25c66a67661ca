"""LinkedIn against a stand-in that answers as the Posts API documents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.publishers.linkedin import OUTCOMES, LinkedInPublisher
from bot.domain import Content
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply

TOKEN = "AQX-linkedin-token-SECRET"
URN = "urn:li:share:6844785523593134080"
REPLIES = {
    **COMMON_REPLIES,
    "201": Reply(201, headers={"x-restli-id": URN}),
    "422": Reply(422, {"message": "Commentary is too long", "status": 422}),
    "malformed": Reply(201),
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


def test_a_post_carries_the_version_headers_and_the_organization_as_author(standin, linkedin):
    standin.script("POST", "/rest/posts", REPLIES["201"])

    result = linkedin.publish(job_for("linkedin-clinic", text="Flu shots (walk-in) #health"))

    (request,) = standin.requests
    assert request.header("authorization") == f"Bearer {TOKEN}"
    assert request.header("linkedin-version") == "202510"
    assert request.header("x-restli-protocol-version") == "2.0.0"
    body = request.json()
    assert body["author"] == "urn:li:organization:2414183"
    assert body["commentary"] == r"Flu shots \(walk-in\) \#health"
    assert (body["visibility"], body["lifecycleState"]) == ("PUBLIC", "PUBLISHED")
    assert result == Published(URN, f"https://www.linkedin.com/feed/update/{URN}/")


def test_a_refusal_reads_in_linkedins_own_words(standin, linkedin):
    standin.script("POST", "/rest/posts", REPLIES["422"])

    result = linkedin.publish(job_for("linkedin-clinic"))

    assert "Commentary is too long" in result.message


def test_check_names_the_organization(standin, linkedin):
    standin.script(
        "GET", "/rest/organizations/2414183", Reply(200, {"localizedName": "Riverside Clinic"})
    )

    assert linkedin.check() == "Riverside Clinic (organization 2414183)"
    assert standin.requests[0].header("linkedin-version") == "202510"


def test_validation_refuses_media_until_linkedin_uploads_are_supported(linkedin):
    content = Content(
        "hi",
        ("linkedin-clinic",),
        datetime(2026, 12, 1, tzinfo=UTC),
        media=("https://c.example/a.jpg",),
    )

    assert "cannot attach media to LinkedIn" in linkedin.validate("linkedin-clinic", content)[0]
