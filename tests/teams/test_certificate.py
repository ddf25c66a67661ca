"""Teams with certificate credentials instead of an app password."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from adapters.config_report import config_report
from adapters.teams.credentials import EntraCredentialsFactory, credentials_factory
from tests.teams.harness import served_teams, teams_settings

APP_ID = "00000000-0000-0000-0000-0000000000aa"
THUMBPRINT = "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = tmp_path / "clearpost-bot.pem"
    path.write_bytes(pem)
    return path


def certificate_settings(tmp_path: Path, key: Path | str):
    return teams_settings(
        tmp_path,
        teams_app_id=APP_ID,
        teams_certificate_thumbprint=THUMBPRINT,
        teams_certificate_key_file=str(key),
    )


def test_a_thumbprint_and_key_file_give_certificate_credentials(tmp_path, key_file):
    factory = credentials_factory(certificate_settings(tmp_path, key_file))

    assert isinstance(factory, EntraCredentialsFactory)
    assert factory.kind == "certificate"


def test_without_a_certificate_the_app_password_is_used(tmp_path):
    settings = teams_settings(tmp_path, teams_app_id=APP_ID, teams_app_password="secret")

    factory = credentials_factory(settings)

    assert factory is not None and factory.kind == "app password"


@pytest.mark.parametrize(
    ("content", "said"),
    [(None, "cannot read"), ("not a key at all", "holds no PEM private key")],
)
def test_an_unusable_key_file_stops_start_with_a_sentence(tmp_path, content, said):
    path = tmp_path / "key.pem"
    if content is not None:
        path.write_text(content)

    with pytest.raises(SystemExit) as stopped:
        credentials_factory(certificate_settings(tmp_path, path))

    assert "MicrosoftAppCertificateKeyFile" in str(stopped.value)
    assert said in str(stopped.value)


def test_with_a_certificate_an_unsigned_request_is_refused(tmp_path, key_file):
    certificate = {
        "teams_app_id": APP_ID,
        "teams_certificate_thumbprint": THUMBPRINT,
        "teams_certificate_key_file": str(key_file),
    }

    with served_teams(tmp_path, **certificate) as served:
        response = httpx.post(
            served.url,
            json={
                "type": "message",
                "id": "1",
                "serviceUrl": "http://127.0.0.1:9/",
                "from": {"id": "u"},
                "conversation": {"id": "c"},
                "text": "help",
            },
            timeout=10,
        )

    assert response.status_code == 401


@pytest.mark.parametrize(
    "thumbprint",
    ["AB:12:CD:34:EF:56:AB:12:CD:34:EF:56:AB:12:CD:34:EF:56:AB:12", THUMBPRINT[:-2], "ZZ" * 20],
)
def test_a_thumbprint_that_is_not_40_hex_digits_stops_start_with_a_sentence(
    tmp_path, key_file, thumbprint
):
    settings = certificate_settings(tmp_path, key_file)
    settings.teams_certificate_thumbprint = thumbprint

    with pytest.raises(SystemExit, match="MicrosoftAppCertificateThumbprint: .* 40 hexadecimal"):
        credentials_factory(settings)


def test_config_check_asks_for_both_halves_of_a_certificate(monkeypatch, tmp_path):
    for name in ("MicrosoftAppPassword", "MicrosoftAppCertificateKeyFile"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppCertificateThumbprint", THUMBPRINT)

    _, report = config_report()

    assert "MicrosoftAppCertificateThumbprint and MicrosoftAppCertificateKeyFile go together" in (
        report
    )
