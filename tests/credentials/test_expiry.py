"""A week before an account stops working the approval channel hears it, once: not on every
sweep, not again after a restart or from a second replica; again only for a new end date."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from adapters.credentials.expiry import warn_of_expiring_accounts
from adapters.credentials.keys import NoKeyCipher, cipher_from, new_key
from storage.credentials import Credential, SqlCredentialStore
from tests.conftest import NOW
from tests.fakes import FixedClock

KEY = new_key()


def linkedin(**changes: object) -> Credential:
    values: dict[str, object] = {
        "channel": "linkedin-clinic",
        "network": "linkedin",
        "access_token": "li-access",
        "expires_at": NOW + timedelta(days=8),  # 60-day member token, no refresh token
        "account_name": "Clinic Page",
    }
    values.update(changes)
    return Credential(**values)  # type: ignore[arg-type]


def test_a_token_that_cannot_be_refreshed_is_warned_of_a_week_ahead_and_once(engine: Engine):
    clock = FixedClock(NOW)
    store = SqlCredentialStore(engine, cipher_from(KEY), clock)
    store.save(linkedin())
    told: list[str] = []

    warn_of_expiring_accounts(store, clock, told.append)  # 8 days ahead: not yet
    clock.advance(days=1)  # 7 days ahead
    warn_of_expiring_accounts(store, clock, told.append)
    clock.advance(hours=1)
    warn_of_expiring_accounts(store, clock, told.append)  # the next sweep says nothing
    restarted = SqlCredentialStore(engine, cipher_from(KEY), FixedClock(clock.now()))
    warn_of_expiring_accounts(restarted, clock, told.append)  # nor after a restart

    assert told == [
        "The LinkedIn access token of `linkedin-clinic` (Clinic Page) expires on "
        "2026-12-03 17:00 UTC and LinkedIn does not let Clearpost renew it. Before then, run "
        "`clearpost channels connect linkedin-clinic`, or posts to `linkedin-clinic` will fail."
    ]


def test_reconnecting_clears_the_warning_so_the_new_end_date_is_warned_in_its_turn(
    engine: Engine,
):
    clock = FixedClock(NOW + timedelta(days=1))
    store = SqlCredentialStore(engine, cipher_from(KEY), clock)
    store.save(linkedin())
    told: list[str] = []
    warn_of_expiring_accounts(store, clock, told.append)

    store.save(linkedin(expires_at=clock.now() + timedelta(days=60)))  # connected again
    warn_of_expiring_accounts(store, clock, told.append)
    clock.advance(days=54)
    warn_of_expiring_accounts(store, clock, told.append)

    assert len(told) == 2 and "2027-01-25 17:00 UTC" in told[1]


def test_a_refreshable_token_is_not_warned_of_but_the_end_of_its_refresh_token_is(
    engine: Engine,
):
    clock = FixedClock(NOW)
    store = SqlCredentialStore(engine, cipher_from(KEY), clock)
    store.save(
        linkedin(
            refresh_token="li-refresh",
            expires_at=NOW + timedelta(hours=1),  # renewed automatically
            refresh_expires_at=NOW + timedelta(days=6),  # LinkedIn's 365 days run out
        )
    )
    store.save(
        Credential(
            channel="x-main",
            network="x",
            access_token="x",
            refresh_token="r",
            expires_at=NOW + timedelta(minutes=30),
        )
    )
    told: list[str] = []

    warn_of_expiring_accounts(store, clock, told.append)

    assert len(told) == 1
    assert told[0].startswith("The LinkedIn authorization of `linkedin-clinic`")


def test_two_replicas_sweeping_at_once_warn_once_and_need_no_key(engine: Engine):
    clock = FixedClock(NOW + timedelta(days=2))
    SqlCredentialStore(engine, cipher_from(KEY), clock).save(linkedin())
    told: list[str] = []

    for _replica in range(2):  # the sweep reads no secret: it runs without the key
        warn_of_expiring_accounts(
            SqlCredentialStore(engine, NoKeyCipher(), clock), clock, told.append
        )

    assert len(told) == 1


def test_the_running_scheduler_warns_the_approval_channel(tmp_path):
    import threading

    from adapters.bootstrap import build_core
    from adapters.console import console_chat
    from adapters.scheduling_mount import start_scheduling
    from adapters.settings import Settings

    clock = FixedClock(NOW)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'c.db'}",
        secret_key=KEY,
        channels={"linkedin-clinic": {"network": "linkedin"}},
    )
    shown: list[str] = []
    arrived = threading.Event()

    def write(text: str) -> None:
        shown.append(text)
        arrived.set()

    core = build_core(settings, clock=clock, chat=[console_chat(write)])
    assert core.credentials is not None
    core.credentials.save(linkedin(expires_at=NOW + timedelta(days=3)))
    try:
        start_scheduling(core)
        assert arrived.wait(15), "no warning within 15 s"
    finally:
        core.shutdown()

    assert shown[0].startswith("[#approvals] The LinkedIn access token of `linkedin-clinic`")
