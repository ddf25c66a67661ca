"""The bot's own token, seen from the outside: with an app id, every reply and proactive post
carries a Bot Framework token the bot got from Entra ID with its password or its certificate.
Entra ID and the OpenID metadata are a stand-in over HTTPS on 127.0.0.1 (`[teams_cloud]` points
the real adapter at it); the Teams connector is the usual stand-in."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import hashes

from bot.commands import ProposeRequest
from bot.domain import Person
from tests.blackbox.serve import eventually
from tests.standins.bot_connector import BotConnectorStandIn
from tests.standins.entra import (
    ASSERTION_TYPE,
    ISSUER,
    EntraStandIn,
    pem,
    self_signed,
    thumbprint,
)
from tests.support.teams_activities import NURSE, TENANT, Activities
from tests.teams.harness import ServedTeams, served_teams, teams_settings

APP_ID = "00000000-0000-0000-0000-0000000000dd"
SECRET = "app-password-never-logged"
SCOPE = "https://api.botframework.com/.default"
BOT_KEY, BOT_CERTIFICATE = self_signed("clearpost-bot")


def cloud(entra: EntraStandIn) -> dict[str, Any]:
    return {
        "login_authority": entra.url,
        "openid_metadata_url": entra.metadata_url,
        "token_issuer": ISSUER,
        "timeout_seconds": 5,
    }


@pytest.fixture
def entra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EntraStandIn]:
    with EntraStandIn(tmp_path, APP_ID, secret=SECRET, certificate=BOT_CERTIFICATE) as standin:
        # The stand-in's TLS certificate is its own: requests (msal, botbuilder) trusts it so.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(standin.ca_file))
        yield standin


def ask_for_help(teams: ServedTeams, entra: EntraStandIn, connector: BotConnectorStandIn) -> int:
    acts = Activities(connector.url)
    bearer = f"Bearer {entra.sign(connector.url)}"
    return teams.post(acts.message(NURSE, "help"), Authorization=bearer).status_code


@pytest.mark.parametrize(
    ("app_type", "tenant", "authority_tenant"),
    [("MultiTenant", None, "botframework.com"), ("SingleTenant", TENANT, TENANT)],
)
def test_with_a_password_the_bot_asks_entra_for_a_token_and_sends_it_to_teams(
    tmp_path, entra, connector, app_type, tenant, authority_tenant
):
    settings = {"teams_app_password": SECRET, "teams_app_type": app_type, "teams_tenant_id": tenant}

    with served_teams(tmp_path, teams_app_id=APP_ID, teams_cloud=cloud(entra), **settings) as teams:
        first = ask_for_help(teams, entra, connector)
        second = ask_for_help(teams, entra, connector)

    assert (first, second) == (202, 202)
    [request] = entra.token_requests  # the second reply used the cached token
    assert request.tenant == authority_tenant
    assert request.form["grant_type"] == "client_credentials"
    assert request.form["client_id"] == APP_ID
    assert request.form["scope"] == SCOPE
    assert request.form["client_secret"] == SECRET
    [token] = entra.issued()
    replies = connector.sent()
    assert len(replies) == 2
    assert {reply.authorization for reply in replies} == {f"Bearer {token}"}


def test_a_proactive_approval_card_carries_the_token_too(tmp_path, entra, connector):
    settings = {"teams_app_password": SECRET, "teams_app_type": "MultiTenant"}
    nurse = Person("teams", NURSE["aadObjectId"], NURSE["name"])

    with served_teams(tmp_path, teams_app_id=APP_ID, teams_cloud=cloud(entra), **settings) as teams:
        # Proposed before Clearpost knows its channel: the card goes out when it joins one.
        workflow = teams.core.workflow
        post = workflow.propose(ProposeRequest(("x-main",), "2026-12-01 09:00", "Flu"), nurse)
        joined = Activities(connector.url).installed_in_channel()
        bearer = f"Bearer {entra.sign(connector.url)}"
        status = teams.post(joined, Authorization=bearer).status_code
        [card] = connector.wait_for(lambda call: call.card is not None)
        # The announcement is over once the post knows its thread (then the server may stop).
        eventually(lambda: workflow.get(post.id).thread, 10, "the card's thread to be saved")

    assert status == 202
    [token] = entra.issued()
    assert card.authorization == f"Bearer {token}"


def test_with_a_certificate_the_bot_signs_an_assertion_entra_can_verify(tmp_path, entra, connector):
    key_file = tmp_path / "bot-key.pem"
    key_file.write_bytes(pem(BOT_KEY))
    settings = {
        "teams_certificate_thumbprint": thumbprint(BOT_CERTIFICATE),
        "teams_certificate_key_file": str(key_file),
        "teams_tenant_id": TENANT,  # a single-tenant app (the default type)
    }

    with served_teams(tmp_path, teams_app_id=APP_ID, teams_cloud=cloud(entra), **settings) as teams:
        status = ask_for_help(teams, entra, connector)

    assert status == 202
    [request] = entra.token_requests
    assert request.tenant == TENANT
    assert (request.form["client_id"], request.form["scope"]) == (APP_ID, SCOPE)
    assert "client_secret" not in request.form
    assert request.form["client_assertion_type"] == ASSERTION_TYPE
    assertion = request.form["client_assertion"]
    x5t = base64.urlsafe_b64encode(BOT_CERTIFICATE.fingerprint(hashes.SHA1())).decode()  # noqa: S303
    assert jwt.get_unverified_header(assertion)["x5t"].rstrip("=") == x5t.rstrip("=")
    claims = jwt.decode(  # raises unless the certificate's public key verifies it
        assertion,
        BOT_CERTIFICATE.public_key(),  # type: ignore[arg-type]
        algorithms=["RS256"],
        audience=entra.token_endpoint(TENANT),
    )
    assert claims["iss"] == claims["sub"] == APP_ID
    [token] = entra.issued()
    [reply] = connector.sent()
    assert reply.authorization == f"Bearer {token}"


def test_a_refused_password_is_said_once_in_a_sentence_and_not_asked_again_at_once(
    tmp_path, entra, connector, caplog
):
    settings = {"teams_app_password": "not-the-password", "teams_app_type": "MultiTenant"}
    caplog.set_level(logging.INFO)

    with served_teams(tmp_path, teams_app_id=APP_ID, teams_cloud=cloud(entra), **settings) as teams:
        statuses = [ask_for_help(teams, entra, connector) for _ in range(3)]

    assert statuses == [202, 202, 202]  # Teams is answered; only the replies cannot go out
    assert [r.status for r in entra.token_requests] == [401]
    assert connector.sent() == []
    refusals = [r for r in caplog.records if "refused the Teams bot's app password" in r.message]
    assert len(refusals) == 1
    assert "invalid_client" in refusals[0].message
    assert "MicrosoftAppPassword" in refusals[0].message
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert "not-the-password" not in caplog.text


@pytest.mark.parametrize(
    ("cloud_settings", "said"),
    [
        ({"login_authority": "http://127.0.0.1:1"}, "is not an https URL"),
        ({"login_authority": "https://login.example/tenant"}, "give only https://host"),
        ({"openid_metadata_url": "https://keys.example/openid?x=1"}, "without a query"),
        ({"timeout_seconds": 0}, "greater than 0"),
    ],
)
def test_an_unusable_teams_cloud_setting_is_refused_with_a_sentence(tmp_path, cloud_settings, said):
    with pytest.raises(ValueError, match=said):
        teams_settings(tmp_path, teams_cloud=cloud_settings)
