"""Each network's documented posting budget, as the pacer spends it (RATE_LIMITS per module).

Figures read 2026-11-29: X POST /2/tweets 100 per 15 min per user (docs.x.com/x-api/fundamentals/
rate-limits); YouTube videos.insert its own bucket of 100 a day (developers.google.com/youtube/
data/determine_quota_cost); Tumblr 250 posts a day per user, across all of their blogs.
"""

from __future__ import annotations

from adapters.publishers import tumblr, x, youtube
from adapters.publishers.base import Pacer, RateLimit


class Ticks:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _allowed(limits: tuple[RateLimit, ...], within: float, attempts: int) -> int:
    clock = Ticks()
    pacer = Pacer(limits, clock)
    allowed = 0
    for _ in range(attempts):
        if pacer.take() is None:
            allowed += 1
        clock.now += within / attempts
    return allowed


def test_x_paces_one_account_at_100_posts_per_15_minutes():
    assert _allowed(x.RATE_LIMITS, 14 * 60, 150) == 100


def test_youtube_allows_100_uploads_a_day_from_the_videos_insert_bucket():
    assert _allowed(youtube.RATE_LIMITS, 23 * 3600, 120) == 100


def test_tumblr_250_a_day_is_per_user_across_blogs():
    (limit,) = tumblr.RATE_LIMITS

    assert (limit.calls, limit.per_seconds) == (250, 86400)
    assert "per user" in limit.source and "per blog" not in limit.source
