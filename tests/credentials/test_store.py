"""The credential store: sealed at rest, readable back, one key rotation, clear refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapters.credentials.keys import MissingSecretKey, cipher_from, new_key
from storage.credentials import Credential, SqlCredentialStore, UnreadableCredential
from storage.engine import make_engine
from storage.migrate import upgrade
from tests.conftest import NOW
from tests.fakes import FixedClock

ACCESS = "xat-ACCESS-marker-7f3a9c"
REFRESH = "xrt-REFRESH-marker-51be02"


def credential(channel: str = "x-main", **changes: object) -> Credential:
    values: dict[str, object] = {
        "channel": channel,
        "network": "x",
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "expires_at": NOW + timedelta(hours=2),
        "scopes": ("tweet.write", "users.read", "offline.access"),
        "account_id": "2244994945",
        "account_name": "@clinic",
    }
    values.update(changes)
    return Credential(**values)  # type: ignore[arg-type]


def test_tokens_are_not_in_the_sqlite_file_or_its_wal_but_read_back(tmp_path: Path):
    path = tmp_path / "clearpost.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    store = SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW))

    store.save(credential())
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(path.name))
    wal_written = Path(f"{path}-wal").stat().st_size > 0  # searched too, before a checkpoint
    back = store.get("x-main")
    engine.dispose()

    assert wal_written
    assert ACCESS.encode() not in on_disk and REFRESH.encode() not in on_disk
    assert b"@clinic" in on_disk  # identity stays readable without the key (channels check)
    assert back is not None and (back.access_token, back.refresh_token) == (ACCESS, REFRESH)
    assert back.scopes == ("tweet.write", "users.read", "offline.access")
    assert back.expires_at == NOW + timedelta(hours=2)


def test_a_token_is_not_in_a_postgresql_row_in_clear(postgres_engine: Engine):
    store = SqlCredentialStore(postgres_engine, cipher_from(new_key()), FixedClock(NOW))
    store.delete("pg-x")

    store.save(credential("pg-x"))
    with postgres_engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT * FROM channel_credential WHERE channel = 'pg-x'").one()

    assert not any(ACCESS in str(value) or REFRESH in str(value) for value in row)
    assert store.get("pg-x").access_token == ACCESS  # type: ignore[union-attr]


def test_the_wrong_key_says_which_key_to_set_and_loses_nothing(engine: Engine):
    SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW)).save(credential())

    with pytest.raises(UnreadableCredential, match="CLEARPOST_SECRET_KEY") as refused:
        SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW)).get("x-main")

    assert "clearpost channels connect x-main" in str(refused.value)


def test_a_rotated_key_opens_old_rows_and_reseal_moves_them_to_the_new_key(engine: Engine):
    old, new = new_key(), new_key()
    SqlCredentialStore(engine, cipher_from(old), FixedClock(NOW)).save(credential())
    both = SqlCredentialStore(engine, cipher_from(f"{new},{old}"), FixedClock(NOW))

    assert both.get("x-main").access_token == ACCESS  # type: ignore[union-attr]
    assert both.reseal() == 1
    assert SqlCredentialStore(engine, cipher_from(new)).get("x-main") is not None


def test_a_row_moved_onto_another_channel_does_not_open(engine: Engine):
    store = SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW))
    store.save(credential("x-main"))
    store.save(credential("x-other", access_token="other"))
    with engine.begin() as conn:
        sealed = conn.exec_driver_sql(
            "SELECT sealed FROM channel_credential WHERE channel = 'x-main'"
        ).scalar_one()
        conn.exec_driver_sql(
            "UPDATE channel_credential SET sealed = ? WHERE channel = 'x-other'"
            if engine.dialect.name == "sqlite"
            else "UPDATE channel_credential SET sealed = %s WHERE channel = 'x-other'",
            (sealed,),
        )

    with pytest.raises(UnreadableCredential):
        store.get("x-other")


@pytest.mark.parametrize("value", [None, "", "not-a-key"])
def test_a_missing_or_malformed_key_says_how_to_make_one(value: str | None):
    with pytest.raises(MissingSecretKey, match="clearpost credentials new-key"):
        cipher_from(value)


def test_saving_again_bumps_the_version_and_clears_a_recorded_refusal(engine: Engine):
    store = SqlCredentialStore(engine, cipher_from(new_key()), FixedClock(NOW))
    first = store.save(credential())
    assert store.record_refresh_error("x-main", "invalid_grant") is True
    assert store.record_refresh_error("x-main", "invalid_grant") is False  # told once

    second = store.save(credential(access_token="new"))

    assert second.version == first.version + 1
    assert second.refresh_error is None and second.access_token == "new"


def test_clearpost_credentials_new_key_prints_a_key_the_store_accepts(capsys):
    from adapters.cli import main

    assert main(["credentials", "new-key"]) == 0
    key = capsys.readouterr().out.splitlines()[0]

    assert cipher_from(key).decrypt(cipher_from(key).encrypt(b"x")) == b"x"
