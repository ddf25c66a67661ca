"""The iCalendar feed: its content, and serving it at a secret URL from `clearpost serve`."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import httpx
import icalendar
from aiohttp import web

from adapters.bootstrap import build_core
from adapters.ics import write_ics
from adapters.ics_feed import feed_url, mount_ics_feed
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person, State
from tests.export.posts import make_post
from tests.fakes import FixedClock

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
TOKEN = "feed-secret-4f9a2c"


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_only_approved_and_published_posts_are_in_the_feed_in_utc():
    posts = [
        make_post(1, datetime(2026, 12, 1, 14, tzinfo=UTC), state=State.APPROVED),
        make_post(2, datetime(2026, 12, 2, 14, tzinfo=UTC), state=State.PUBLISHED),
        make_post(3, datetime(2026, 12, 3, 14, tzinfo=UTC), state=State.IN_REVIEW),
        make_post(4, datetime(2026, 12, 4, 14, tzinfo=UTC), state=State.REJECTED),
    ]

    found = events(write_ics(posts, now=NOW, public_base_url="https://clearpost.clinic.example"))

    assert [str(e["uid"]) for e in found] == [
        "post-1@clearpost.clinic.example",
        "post-2@clearpost.clinic.example",
    ]
    assert found[0].decoded("dtstart") == datetime(2026, 12, 1, 14, tzinfo=UTC)
    assert str(found[0]["summary"]).startswith("x-main, facebook-clinic: Flu shots are in!")
    assert str(found[1]["summary"]).startswith("[published] ")
    assert str(found[1]["url"]) == "https://social.example/x-main/2"


def test_an_edited_post_keeps_its_uid_with_a_higher_sequence():
    post = make_post(5, datetime(2026, 12, 1, 14, tzinfo=UTC), state=State.APPROVED)
    first = events(write_ics([post], now=NOW))[0]
    post.revise(post.content, Person("slack", "U1"), NOW, [])
    post.approve(Person("slack", "U2"), NOW, None, 1)

    second = events(write_ics([post], now=NOW))[0]

    assert second["uid"] == first["uid"]
    assert (first["sequence"], second["sequence"]) == (1, 2)


async def _get(app: web.Application, paths: list[str]) -> list[httpx.Response]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            return [await client.get(path) for path in paths]
    finally:
        await runner.cleanup()


def test_the_feed_is_served_at_the_secret_url_and_nowhere_else(tmp_path, caplog):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'feed.db'}",
        ics_token=TOKEN,
        public_base_url="https://clearpost.clinic.example/",
        approvers=["console:officer"],
    )
    core = build_core(settings, clock=FixedClock(NOW))
    nurse, officer = Person("console", "nurse"), Person("console", "officer")
    when = core.clock.now() + timedelta(days=3)
    post = core.workflow.propose(
        ProposeRequest(channels=("blog",), when=when, text="Clinic closed Friday"), by=nurse
    )
    core.workflow.approve(post.id, officer)
    app = web.Application()
    mount_ics_feed(app, core)
    caplog.set_level(logging.INFO)

    good, wrong, missing = asyncio.run(
        _get(app, [f"/calendar/{TOKEN}.ics", "/calendar/guess.ics", "/calendar/.ics"])
    )
    core.shutdown()

    assert good.status_code == 200
    assert good.headers["content-type"].startswith("text/calendar")
    assert [str(e["uid"]) for e in events(good.content)] == [
        f"post-{post.id}@clearpost.clinic.example"
    ]
    assert wrong.status_code == 404 and missing.status_code == 404
    assert feed_url(core) == f"https://clearpost.clinic.example/calendar/{TOKEN}.ics"
    server_log = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert any("/calendar/…[masked].ics" in line for line in server_log)
    assert not any(TOKEN in line for line in server_log)


def test_nothing_is_mounted_without_a_token(tmp_path):
    core = build_core(Settings(database_url=f"sqlite:///{tmp_path / 'feed.db'}"))
    app = web.Application()

    mount_ics_feed(app, core)
    core.shutdown()

    assert [r.resource.canonical for r in app.router.routes()] == []


def test_the_token_counts_only_as_written_and_no_spelling_of_it_reaches_the_access_log(
    tmp_path, caplog
):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'feed.db'}", ics_token=TOKEN)
    core = build_core(settings, clock=FixedClock(NOW))
    app = web.Application()
    mount_ics_feed(app, core)
    caplog.set_level(logging.INFO)
    encoded = "%66" + TOKEN[1:]  # the same token with its first letter percent-encoded
    near_miss = TOKEN[:-1] + "d"  # a typo: all but one character of the token

    good, spelled, typo = asyncio.run(
        _get(
            app,
            [f"/calendar/{TOKEN}.ics", f"/calendar/{encoded}.ics", f"/calendar/{near_miss}.ics"],
        )
    )
    core.shutdown()

    assert (good.status_code, spelled.status_code, typo.status_code) == (200, 404, 404)
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(access) == 3
    assert all("/calendar/…[masked].ics" in line for line in access)
    assert not any(TOKEN[1:-1] in line for line in access)
