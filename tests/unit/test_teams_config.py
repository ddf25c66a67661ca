"""Teams never runs unauthenticated by accident: a blank app id or an unknown value of
CLEARPOST_TEAMS_ENABLED is a configuration error that `config check` and start-up name; local
mode needs an explicit 1 or true and is warned about loudly."""

from __future__ import annotations

import pytest

from adapters.cli import load_settings
from adapters.config_report import config_report
from adapters.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_env")


def test_a_blank_app_id_is_a_configuration_error_not_unauthenticated_teams(monkeypatch):
    monkeypatch.setenv("MicrosoftAppId", "")
    monkeypatch.setenv("MicrosoftAppType", "MultiTenant")

    valid, report = config_report()

    assert not valid
    assert "✗ MicrosoftAppId: is set but blank" in report
    with pytest.raises(SystemExit, match="MicrosoftAppId: is set but blank"):
        load_settings()


@pytest.mark.parametrize("value", ["yes", "on", "2", "enabled"])
def test_an_unknown_teams_flag_is_a_configuration_error(monkeypatch, value):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", value)

    valid, report = config_report()

    assert not valid
    assert f"✗ CLEARPOST_TEAMS_ENABLED: “{value}” is not 1, true, 0 or false" in report


@pytest.mark.parametrize("value", ["0", "false", "FALSE", ""])
def test_zero_or_false_leaves_teams_off(monkeypatch, value):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", value)

    assert Settings().teams_enabled is False
    assert "WITHOUT AUTHENTICATION" not in config_report()[1]


@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_local_mode_needs_an_explicit_one_or_true_and_config_check_warns(monkeypatch, value):
    monkeypatch.setenv("CLEARPOST_TEAMS_ENABLED", value)

    valid, report = config_report()

    assert Settings().teams_enabled is True
    assert valid
    assert "! CLEARPOST_TEAMS_ENABLED: Teams runs WITHOUT AUTHENTICATION" in report


def test_an_app_id_turns_teams_on_with_authentication(monkeypatch):
    monkeypatch.setenv("MicrosoftAppId", "00000000-0000-0000-0000-000000000001")
    monkeypatch.setenv("MicrosoftAppPassword", "secret")

    settings = Settings()

    assert settings.teams_enabled is True
    assert "WITHOUT AUTHENTICATION" not in config_report()[1]
