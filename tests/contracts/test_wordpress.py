"""WordPress against a stand-in that answers as the REST API documents."""

from __future__ import annotations

import base64

import pytest

from adapters.publishers.base import MissingChannelSetting
from adapters.publishers.wordpress import OUTCOMES, WordPressPublisher
from bot.ports import Failed, Published
from tests.contracts.conftest import channel_at, job_for
from tests.standins.networks import COMMON_REPLIES, Reply

PASSWORD = "abcd EFGH 1234 ijkl MNOP 6789"
POSTS = "/wp-json/wp/v2/posts"
REPLIES = {
    **COMMON_REPLIES,
    "201": Reply(
        201, {"id": 412, "link": "https://blog.example/2026/12/flu-shots/", "status": "publish"}
    ),
    "400": Reply(
        400,
        {
            "code": "rest_invalid_param",
            "message": "Invalid parameter(s): status",
            "data": {"status": 400},
        },
    ),
}


@pytest.fixture
def blog(standin):
    config = channel_at(
        standin, "wordpress", "blog", {"application_password": PASSWORD}, username="clearpost"
    )
    publisher = WordPressPublisher(config)
    yield publisher
    publisher.close()


@pytest.mark.parametrize("row", OUTCOMES, ids=[row.when for row in OUTCOMES])
def test_each_answer_from_wordpress_becomes_the_outcome_in_the_table(standin, blog, row):
    standin.script("POST", POSTS, REPLIES[row.when])

    result = blog.publish(job_for("blog"))

    kind = "published" if isinstance(result, Published) else result.kind
    assert kind == row.kind
    if isinstance(result, Failed):
        assert PASSWORD not in result.message and "Flu shots" not in result.message


def test_a_post_is_published_not_drafted_with_basic_auth_and_escaped_html(standin, blog):
    standin.script("POST", POSTS, REPLIES["201"])
    text = "Flu shots from Monday\n\nWalk in <no appointment> & bring your card."

    result = blog.publish(
        job_for("blog", text=text, media=("https://c.example/a.jpg",), link="https://c.example/flu")
    )

    (request,) = standin.requests
    expected = base64.b64encode(f"clearpost:{PASSWORD}".encode()).decode()
    assert request.header("authorization") == f"Basic {expected}"
    body = request.json()
    assert (body["title"], body["status"]) == ("Flu shots from Monday", "publish")
    assert "<p>Walk in &lt;no appointment&gt; &amp; bring your card.</p>" in body["content"]
    assert '<img src="https://c.example/a.jpg" alt="">' in body["content"]
    assert '<a href="https://c.example/flu">' in body["content"]
    assert result == Published("412", "https://blog.example/2026/12/flu-shots/")


def test_an_images_alt_text_is_its_img_alt_escaped(standin, blog):
    standin.script("POST", POSTS, REPLIES["201"])

    blog.publish(
        job_for(
            "blog",
            text="Flu shots\n\nWalk in.",
            media=("https://c.example/a.jpg",),
            media_alt=('Nurse & patient "before" <x>',),
        )
    )

    content = standin.requests[0].json()["content"]
    assert (
        '<img src="https://c.example/a.jpg" alt="Nurse &amp; patient &quot;before&quot; &lt;x&gt;">'
        in content
    )


def test_a_refusal_reads_in_wordpress_own_words(standin, blog):
    standin.script("POST", POSTS, REPLIES["400"])

    result = blog.publish(job_for("blog"))

    assert "Invalid parameter(s): status" in result.message


def test_a_blog_without_base_url_says_what_to_set(standin):
    publisher = WordPressPublisher(
        channel_at(
            standin,
            "wordpress",
            "blog",
            {"application_password": PASSWORD},
            base_url=None,
            username="u",
        )
    )

    with pytest.raises(MissingChannelSetting, match=r"\[channels.blog\] base_url"):
        publisher.publish(job_for("blog"))


def test_check_names_the_user_and_warns_when_it_cannot_publish(standin, blog):
    standin.script(
        "GET",
        "/wp-json/wp/v2/users/me",
        Reply(200, {"id": 3, "name": "Front Desk", "capabilities": {"publish_posts": False}}),
    )

    assert blog.check() == f"Front Desk on {standin.base_url}; this user cannot publish posts"
    assert standin.requests[0].query == {"context": ["edit"]}
