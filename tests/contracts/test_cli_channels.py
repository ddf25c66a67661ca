"""`clearpost channels check` and `clearpost publish --dry-run` against stand-in networks."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.bootstrap import build_core
from adapters.cli_channels import channels_check, publish_dry_run
from adapters.settings import Settings
from bot.commands import ProposeRequest
from bot.domain import Person
from tests.conftest import NOW
from tests.fakes import FixedClock
from tests.standins.networks import Reply, StandIn

TOKEN = "x-token-SECRET"
NURSE, OFFICER = Person("console", "nurse"), Person("console", "officer")


def _settings(standin: StandIn, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        approvers=["console:officer"],
        channels={
            "x-main": {"network": "x", "base_url": standin.base_url, "timeout_seconds": 1},
            "hook": {"network": "webhook", "url": f"{standin.base_url}/in"},
            "plurk-clinic": {"network": "threads"},
        },
    )


def test_check_says_per_channel_whom_we_post_as_or_what_to_set(standin, tmp_path):
    standin.script("GET", "/2/users/me", Reply(200, {"data": {"username": "clinic"}}))

    good, lines = channels_check(
        _settings(standin, tmp_path), environ={"CLEARPOST_X_MAIN_ACCESS_TOKEN": TOKEN}
    )

    assert not good
    assert "  ✓ x-main (x): posting as @clinic" in lines
    assert any("hook (webhook)" in ln and "CLEARPOST_HOOK_SIGNING_SECRET" in ln for ln in lines)
    assert "  - plurk-clinic (threads): no publisher for this network yet; not checked." in lines


def test_check_dry_run_shows_the_identity_request_and_sends_nothing(standin, tmp_path):
    good, lines = channels_check(
        _settings(standin, tmp_path),
        dry_run=True,
        environ={"CLEARPOST_X_MAIN_ACCESS_TOKEN": TOKEN, "CLEARPOST_HOOK_SIGNING_SECRET": "s"},
    )

    assert good
    assert f"  1. GET {standin.base_url}/2/users/me" in lines
    assert "     authorization: Bearer …[masked]" in lines
    assert TOKEN not in "\n".join(lines)
    assert standin.requests == []


def test_publish_dry_run_shows_exactly_what_each_channel_would_send_and_sends_nothing(
    standin, tmp_path, monkeypatch
):
    monkeypatch.setenv("CLEARPOST_X_MAIN_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("CLEARPOST_HOOK_SIGNING_SECRET", "whsec")
    core = build_core(_settings(standin, tmp_path), clock=FixedClock(NOW))
    when = datetime(2030, 1, 2, 15, 0, tzinfo=UTC)
    post = core.workflow.propose(
        ProposeRequest(("x-main", "hook"), when, "Flu shots from Monday"), by=NURSE
    )
    core.workflow.approve(post.id, by=OFFICER)

    lines = publish_dry_run(core, post.id)
    core.shutdown()

    text = "\n".join(lines)
    assert f"POST {standin.base_url}/2/tweets" in text
    assert '"text": "Flu shots from Monday"' in text
    assert f"POST {standin.base_url}/in" in text
    assert "x-clearpost-signature: …[masked]" in text
    assert TOKEN not in text and "not approved" not in text
    assert standin.requests == []


def test_publish_dry_run_of_an_unapproved_post_says_so(standin, tmp_path, monkeypatch):
    monkeypatch.setenv("CLEARPOST_X_MAIN_ACCESS_TOKEN", TOKEN)
    core = build_core(_settings(standin, tmp_path), clock=FixedClock(NOW))
    post = core.workflow.propose(
        ProposeRequest(("x-main",), datetime(2030, 1, 2, tzinfo=UTC), "Hello"), by=NURSE
    )

    lines = publish_dry_run(core, post.id)
    core.shutdown()

    assert "is in review and not approved" in lines[1]
