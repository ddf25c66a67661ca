"""`clearpost serve` with a Teams app id and password, set by environment variables only: the
Entra ID stand-in (HTTPS, CLEARPOST_TEAMS_CLOUD) sees serve's token request, and the reply that
reaches the connector stand-in carries the token it issued. A wrong password is one sentence in
serve's log, not a traceback per message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.blackbox.idle import wait_idle
from tests.standins.bot_connector import BotConnectorStandIn
from tests.standins.entra import ISSUER, EntraStandIn
from tests.support.teams_activities import NURSE, Activities

APP_ID = "00000000-0000-0000-0000-0000000000ff"
SECRET = "blackbox-app-password"


@pytest.fixture
def entra(tmp_path: Path) -> Iterator[EntraStandIn]:
    with EntraStandIn(tmp_path, APP_ID, secret=SECRET) as standin:
        yield standin


def teams_env(entra: EntraStandIn, password: str) -> dict[str, str]:
    cloud = {
        "login_authority": entra.url,
        "openid_metadata_url": entra.metadata_url,
        "token_issuer": ISSUER,
        "timeout_seconds": 5,
    }
    return {
        "MicrosoftAppId": APP_ID,
        "MicrosoftAppPassword": password,
        "MicrosoftAppType": "MultiTenant",
        "CLEARPOST_TEAMS_CLOUD": json.dumps(cloud),
        "CLEARPOST_APPROVERS": "teams:aad-officer",
        "REQUESTS_CA_BUNDLE": str(entra.ca_file),  # the stand-in's own TLS certificate
    }


def ask_for_help(url: str, entra: EntraStandIn, connector: BotConnectorStandIn) -> int:
    activity = Activities(connector.url).message(NURSE, "help")
    headers = {"Authorization": f"Bearer {entra.sign(connector.url)}"}
    return httpx.post(url + "/api/messages", json=activity, headers=headers, timeout=15).status_code


def test_serve_signs_its_replies_with_the_token_entra_issued(serve, entra, connector):
    server = serve(teams_env(entra, SECRET))

    status = ask_for_help(server.url, entra, connector)
    [reply] = connector.wait_for(lambda call: True)

    assert status == 202
    [request] = entra.token_requests
    assert request.form["client_id"] == APP_ID
    assert request.form["scope"] == "https://api.botframework.com/.default"
    assert request.form["client_secret"] == SECRET
    assert reply.authorization == f"Bearer {entra.issued()[0]}"
    assert SECRET not in server.output()


def test_a_refused_password_is_one_sentence_in_the_log_and_no_traceback(serve, entra, connector):
    server = serve(teams_env(entra, "not-the-password"))

    statuses = [ask_for_help(server.url, entra, connector) for _ in range(3)]
    wait_idle(server)

    assert statuses == [202, 202, 202]
    assert server.output().count("refused the Teams bot's app password") == 1
    assert "invalid_client" in server.output()
    assert "Traceback" not in server.output()
    assert "not-the-password" not in server.output()
    assert connector.sent() == []
