"""A stand-in for the Bot Framework's identity services, over HTTPS on 127.0.0.1 port 0.

For the tokens Teams sends the bot (botbuilder's inbound validation):

    GET  /openid                      OpenID metadata: {"jwks_uri": …/keys}
    GET  /keys                        the signing keys, each endorsed for msteams

For the bot's own tokens (msal's client-credentials flow, Microsoft identity platform v2.0):

    GET  /{tenant}/v2.0/.well-known/openid-configuration   issuer, authorize and token endpoints
    POST /{tenant}/oauth2/v2.0/token  grant_type=client_credentials, client_id, scope, and either
                                      client_secret or a client_assertion (an RS256 JWT whose
                                      header x5t is the certificate's SHA-1 thumbprint, signed with
                                      its key, aud the token endpoint, iss = sub = client_id).
                                      200 {"token_type": "Bearer", "expires_in", "access_token"};
                                      a wrong secret or assertion: 401 {"error": "invalid_client"}

`sign` makes activity tokens the way the Bot Framework does. `hang_metadata` makes /openid
accept and never answer (until `close`). Its TLS certificate is self-signed: point requests at
`ca_file` (REQUESTS_CA_BUNDLE).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import itertools
import json
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://api.botframework.com"
KID = "clearpost-test"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def self_signed(name: str, ip: str | None = None) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A key pair and a self-signed certificate for `name` (and `ip` as its address)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    # OpenSSL checks validity on the machine's real clock, which the shifted runs do not move
    # (tests/clock_shift moves Python's): a window tied to no clock holds on both.
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
    )
    if ip is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), critical=False
        )
    return key, builder.sign(key, hashes.SHA256())


def pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def thumbprint(certificate: x509.Certificate) -> str:
    """The SHA-1 thumbprint as Azure shows it (hex, upper case)."""
    return certificate.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 — x5t is SHA-1


@dataclass
class TokenRequest:
    tenant: str
    form: dict[str, str]
    status: int
    issued: str | None  # the access token handed out, if any
    assertion_verified: bool = False


class EntraStandIn:
    """Bot Framework OpenID metadata and an Entra ID token endpoint for one app registration:
    `app_id` with `secret`, or with `certificate` (its public half, as uploaded to Azure)."""

    def __init__(
        self,
        tmp_path: Path,
        app_id: str,
        *,
        secret: str | None = None,
        certificate: x509.Certificate | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
    ) -> None:
        self.app_id, self.secret, self.certificate = app_id, secret, certificate
        self.signing_key = signing_key or rsa.generate_private_key(
            public_exponent=65537, key_size=2048
        )
        self.token_requests: list[TokenRequest] = []
        self.discoveries: list[str] = []  # paths of the OpenID documents fetched
        self.hang_metadata = False
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)
        tls_key, tls_cert = self_signed("127.0.0.1", "127.0.0.1")
        self.ca_file = tmp_path / "entra-standin-ca.pem"
        self.ca_file.write_bytes(tls_cert.public_bytes(serialization.Encoding.PEM))
        key_file = tmp_path / "entra-standin-key.pem"
        key_file.write_bytes(pem(tls_key))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, key_file)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))
        self._thread.daemon = True

    def __enter__(self) -> EntraStandIn:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closed.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- for the test --------------------------------------------------------------------------

    @property
    def metadata_url(self) -> str:
        return self.url + "/openid"

    def token_endpoint(self, tenant: str) -> str:
        return f"{self.url}/{tenant}/oauth2/v2.0/token"

    def sign(self, service_url: str, **claims: Any) -> str:
        """A token like the one the Bot Framework puts on each activity it sends the bot."""
        payload = {
            "iss": ISSUER,
            "aud": self.app_id,
            "exp": int(time.time()) + 600,
            "nbf": int(time.time()) - 10,
            "serviceurl": service_url,
            **claims,
        }
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": KID})

    def issued(self) -> list[str]:
        with self._lock:
            return [r.issued for r in self.token_requests if r.issued]

    # -- the server ----------------------------------------------------------------------------

    def _keys(self) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KID, "endorsements": ["msteams"]}]}

    def _discovery(self, tenant: str) -> dict[str, Any]:
        base = f"{self.url}/{tenant}"
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        }

    def _token(self, tenant: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        verified = False
        if form.get("client_assertion_type") == ASSERTION_TYPE and self.certificate is not None:
            verified = self._assertion_ok(form.get("client_assertion", ""), tenant)
            good = verified
        else:
            good = self.secret is not None and form.get("client_secret") == self.secret
        good = good and form.get("client_id") == self.app_id
        if form.get("grant_type") != "client_credentials":
            status, body = 400, {"error": "unsupported_grant_type"}
        elif not good:
            status = 401
            body = {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.",
                "error_codes": [7000215],
            }
        else:
            token = f"issued-token-{next(self._tokens)}"
            status, body = 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}
        with self._lock:
            self.token_requests.append(
                TokenRequest(tenant, form, status, body.get("access_token"), verified)
            )
        return status, body

    def _assertion_ok(self, assertion: str, tenant: str) -> bool:
        assert self.certificate is not None
        expected = base64.urlsafe_b64encode(
            self.certificate.fingerprint(hashes.SHA1())  # noqa: S303
        ).decode()
        try:
            header = jwt.get_unverified_header(assertion)
            jwt.decode(
                assertion,
                self.certificate.public_key(),  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.token_endpoint(tenant),
                issuer=self.app_id,
            )
        except jwt.PyJWTError:
            return False
        return header.get("x5t", "").rstrip("=") == expected.rstrip("=")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                with outer._lock:
                    outer.discoveries.append(path)
                if path == "/openid":
                    if outer.hang_metadata:
                        outer._closed.wait(60)  # accepted, never answered
                        return
                    self._answer(200, {"jwks_uri": outer.url + "/keys"})
                elif path == "/keys":
                    self._answer(200, outer._keys())
                elif path.endswith("/v2.0/.well-known/openid-configuration"):
                    self._answer(200, outer._discovery(path.split("/")[1]))
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(min(length, 64 * 1024)).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts[1:] != ["oauth2", "v2.0", "token"]:
                    self._answer(404, {"error": "not_found"})
                    return
                self._answer(*outer._token(parts[0], form))

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        return Handler
