"""`clearpost channels connect CHANNEL`: authorize Clearpost on the channel's account and store
the tokens, sealed (adapters/connect/).

With CLEARPOST_PUBLIC_BASE_URL set, `clearpost serve` receives the network's redirect at
<public_base_url>/oauth/callback/<network>; this command prints the address to open and waits
(bounded) until whichever replica served the callback has saved the account. Without it, or with
`--paste`, the person pastes the address their browser was sent to (the page need not load) and
this command finishes the exchange itself. Bluesky and WordPress ask for an app password at a
prompt that does not echo it.
"""

from __future__ import annotations

import argparse
import getpass
import time
from collections.abc import Callable

from adapters.connect.connector import Connector, Started
from adapters.connect.pending import Outcome

WAIT_MINUTES = 10.0
POLL_SECONDS = 1.0

Say = Callable[[str], None]
Ask = Callable[[str], str]


def run_connect(
    connector: Connector,
    channel: str,
    *,
    say: Say,
    ask: Ask,
    ask_secret: Ask,
    paste: bool = False,
    wait_seconds: float = WAIT_MINUTES * 60,
    poll_seconds: float = POLL_SECONDS,
) -> bool:
    """Connect `channel`; True when its account was saved. Says each step and the outcome."""
    settings = connector.settings
    if connector.kind(channel) == "app_password":
        config = connector.config(channel)
        secret = ask_secret(f"App password for {channel} ({config.label}; not shown): ")
        outcome = connector.connect_app_password(channel, secret)
        say(outcome.sentence)
        return outcome.ok
    public = settings.public_base_url
    paste = paste or not public
    base = public or f"http://{settings.http_host}:{settings.http_port}"
    started = connector.start(channel, base)
    say(f"Open this address, sign in as the account `{channel}` should post as, and approve:")
    say(f"  {started.url}")
    if paste:
        outcome = _pasted(connector, started, say, ask)
    else:
        say(
            f"Waiting up to {wait_seconds / 60:.0f} minutes for `clearpost serve` at {public} "
            "to receive the answer (Ctrl-C to stop)…"
        )
        outcome = _waited(connector, started, wait_seconds, poll_seconds)
    say(outcome.sentence)
    return outcome.ok


def _pasted(connector: Connector, started: Started, say: Say, ask: Ask) -> Outcome:
    say(
        f"After you approve, your browser goes to {started.redirect_uri}?… (the page may not "
        "load: that is expected without `clearpost serve`)."
    )
    pasted = ask("Paste that whole address (or just the code) here: ")
    return connector.complete_pasted(started, pasted)


def _waited(connector: Connector, started: Started, seconds: float, poll: float) -> Outcome:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        outcome = connector.pending.outcome(started.state)
        if outcome is not None:
            return outcome
        time.sleep(poll)
    return Outcome(
        False,
        f"No answer came back within {seconds / 60:.0f} minutes, so nothing was saved. Check "
        "that `clearpost serve` is reachable at CLEARPOST_PUBLIC_BASE_URL, or run "
        "`clearpost channels connect CHANNEL --paste`.",
    )


def cmd_channels_connect(args: argparse.Namespace) -> int:
    from adapters.cli import load_settings
    from adapters.credentials.keys import cipher_for
    from bot.ports import SystemClock
    from storage.credentials import SqlCredentialStore
    from storage.engine import make_engine
    from storage.migrate import upgrade

    settings = load_settings()
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        clock = SystemClock()
        connector = Connector(
            settings, SqlCredentialStore(engine, cipher_for(secret), clock), clock
        )
        ok = run_connect(
            connector,
            args.channel,
            say=print,
            ask=input,
            ask_secret=getpass.getpass,
            paste=args.paste,
            wait_seconds=args.wait_minutes * 60,
        )
    finally:
        engine.dispose()
    return 0 if ok else 1


def add_connect(channels_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    connect = channels_sub.add_parser(
        "connect", help="authorize Clearpost on a channel's account and store its tokens"
    )
    connect.add_argument("channel", help="the channel's name, e.g. x-main")
    connect.add_argument(
        "--paste",
        action="store_true",
        help="paste the address the browser lands on (no `clearpost serve` reachable)",
    )
    connect.add_argument(
        "--wait-minutes",
        type=float,
        default=WAIT_MINUTES,
        help=f"how long to wait for the callback (default {WAIT_MINUTES:.0f})",
    )
    connect.set_defaults(func=cmd_channels_connect)
