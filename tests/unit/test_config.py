"""Settings from the environment and clearpost.toml, and what `config check` tells a person."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adapters.config_report import config_report
from adapters.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_env")


def test_defaults_give_a_working_console_on_sqlite():
    settings = Settings()

    assert settings.database_url.startswith("sqlite:///")
    assert "x-main" in settings.channels
    assert settings.approvers == ["console:officer"]


def test_channels_and_approvers_take_the_short_forms(monkeypatch):
    monkeypatch.setenv("CLEARPOST_CHANNELS", "x-main=x, Blog=wordpress")
    monkeypatch.setenv("CLEARPOST_APPROVERS", "slack:U1, teams:abc")

    settings = Settings()

    assert settings.channel_networks == {"x-main": "x", "blog": "wordpress"}
    assert settings.approvers == ["slack:U1", "teams:abc"]


def test_a_toml_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    (tmp_path / "clearpost.toml").write_text(
        'timezone = "Europe/Berlin"\nrequired_approvals = 2\n'
        '[channels.toots]\nnetwork = "mastodon"\nbase_url = "https://mastodon.example"\n'
    )
    monkeypatch.setenv("CLEARPOST_REQUIRED_APPROVALS", "3")

    settings = Settings()

    assert settings.timezone == "Europe/Berlin"
    assert settings.required_approvals == 3
    assert settings.channels["toots"].network == "mastodon"
    assert settings.channels["toots"].model_extra == {"base_url": "https://mastodon.example"}


def test_platform_standard_names_are_accepted_and_kept_secret(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-secret")

    settings = Settings()

    assert settings.slack_enabled
    assert "xoxb-123-secret" not in repr(settings)


def test_config_check_masks_secrets_and_names_what_is_missing(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-123-secret")

    ok, report = config_report()

    assert ok
    assert "xoxb-123-secret" not in report
    assert "SLACK_BOT_TOKEN                    set (hidden)" in report
    assert "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN" in report


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("CLEARPOST_TIMEZONE", "Mars/Olympus", "CLEARPOST_TIMEZONE: 'Mars/Olympus' is not an IANA"),
        ("CLEARPOST_REQUIRED_APPROVALS", "0", "CLEARPOST_REQUIRED_APPROVALS: Input should be"),
        ("CLEARPOST_APPROVERS", "U024BE7LH", "approvers are written platform:user_id"),
        ("CLEARPOST_CHANNELS", "x-main=myspace", "unknown network 'myspace'"),
        ("CLEARPOST_CHANNELS", "x-main", "write channels as name=network pairs"),
    ],
)
def test_invalid_settings_are_named_with_how_to_fix(monkeypatch, name, value, said):
    monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError):
        Settings()
    ok, report = config_report()

    assert not ok
    assert said in report


def test_a_misspelt_variable_is_reported_with_a_suggestion(monkeypatch):
    monkeypatch.setenv("CLEARPOST_APROVERS", "slack:U1")

    _, report = config_report()

    assert (
        "CLEARPOST_APROVERS is not a Clearpost setting. Did you mean CLEARPOST_APPROVERS?" in report
    )
