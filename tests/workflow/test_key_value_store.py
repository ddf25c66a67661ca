"""Small adapter state: a redelivered event is recognised, never an error."""

from __future__ import annotations

from storage.kv import SqlKeyValueStore
from tests.fakes import FixedClock


def test_a_key_stored_again_with_put_new_is_refused_and_keeps_the_first_value(engine, clock):
    store = SqlKeyValueStore(engine, clock)
    assert store.put_new("slack:event:C1:1700000000.1", "handled") is True

    again = store.put_new("slack:event:C1:1700000000.1", "second")

    assert again is False
    assert store.get("slack:event:C1:1700000000.1") == "handled"


def test_put_inserts_then_replaces(engine, clock: FixedClock):
    store = SqlKeyValueStore(engine, clock)

    store.put("teams:conversation:u1", "first")
    store.put("teams:conversation:u1", "second")

    assert store.get("teams:conversation:u1") == "second"
