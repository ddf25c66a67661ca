"""`clearpost credentials new-key` and `clearpost credentials reseal`: the key that seals stored
channel credentials (adapters/credentials/keys.py)."""

from __future__ import annotations

import argparse

from adapters.credentials.keys import VARIABLE, cipher_from, new_key
from storage.credentials import SqlCredentialStore
from storage.engine import make_engine
from storage.migrate import upgrade


def cmd_new_key(_args: argparse.Namespace) -> int:
    print(new_key())
    print(
        f"# Set {VARIABLE} to this line in every replica's environment and keep a copy safe. "
        f"To rotate: {VARIABLE}=NEW,OLD, then `clearpost credentials reseal`, then drop OLD."
    )
    return 0


def cmd_reseal(_args: argparse.Namespace) -> int:
    from adapters.cli import load_settings

    settings = load_settings()
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        count = SqlCredentialStore(engine, cipher_from(secret)).reseal()
    finally:
        engine.dispose()
    print(f"{count} stored credential(s) sealed with the first key of {VARIABLE}.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    credentials = subparsers.add_parser("credentials", help="the key sealing stored tokens")
    sub = credentials.add_subparsers(dest="credentials_command", required=True, metavar="ACTION")
    sub.add_parser("new-key", help=f"print a new key for {VARIABLE}").set_defaults(func=cmd_new_key)
    sub.add_parser("reseal", help="seal every stored credential with the first key").set_defaults(
        func=cmd_reseal
    )
