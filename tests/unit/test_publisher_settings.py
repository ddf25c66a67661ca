"""Channel secrets live in CLEARPOST_<CHANNEL>_<KEY>; `config check` knows them."""

from __future__ import annotations

import os

from adapters.config_report import config_report


def test_a_configured_channels_secret_is_not_reported_as_unknown_but_a_typo_is(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("CLEARPOST_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("CLEARPOST_CHANNELS", "x-main=x,blog=wordpress")
    monkeypatch.setenv("CLEARPOST_X_MAIN_ACCESS_TOKEN", "secret-value")
    monkeypatch.setenv("CLEARPOST_BLG_APPLICATION_PASSWORD", "secret-value")

    ok, report = config_report(dict(os.environ))

    assert ok
    assert "CLEARPOST_X_MAIN_ACCESS_TOKEN" not in report
    assert "? CLEARPOST_BLG_APPLICATION_PASSWORD is not a Clearpost setting." in report
    assert "secret-value" not in report
