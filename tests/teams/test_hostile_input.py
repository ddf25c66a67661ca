"""What a broken or hostile request to /api/messages gets: a 4xx, never a 500, nothing saved."""

from __future__ import annotations

import pytest

from bot.ports import PostQuery


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2, 3]", "application/json", 400),
        (b'"just a string"', "application/json", 400),
        (b'{"type": ""}', "application/json", 400),
        (b'{"type": "message", "text": 5, "from": "nobody"}', "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b"type=message", "application/x-www-form-urlencoded", 415),
    ],
)
def test_a_malformed_activity_is_refused_with_a_client_error(teams, body, content_type, status):
    response = teams.http.post(teams.url, content=body, headers={"Content-Type": content_type})

    assert response.status_code == status
    assert teams.core.workflow.posts(PostQuery()) == []
