"""What an OAuth 1.0a server checks (RFC 5849, HMAC-SHA1), for stand-ins of Tumblr and Plurk."""

from __future__ import annotations

import hmac
from urllib.parse import unquote, urlencode

from oauthlib.oauth1.rfc5849 import signature
from oauthlib.oauth1.rfc5849.utils import parse_authorization_header

from tests.standins.networks import Recorded


def oauth_params(request: Recorded) -> dict[str, str]:
    header = request.header("authorization") or ""
    return {k: unquote(v) for k, v in parse_authorization_header(header)}


def signed_correctly(
    request: Recorded, base_url: str, consumer_secret: str, token_secret: str
) -> bool:
    """Recompute the signature from what arrived; form bodies are part of it, JSON is not."""
    query = urlencode([(k, v) for k, vs in request.query.items() for v in vs])
    form = (request.header("content-type") or "").startswith("application/x-www-form-urlencoded")
    params = signature.collect_parameters(
        uri_query=query,
        body=request.body.decode() if form else None,
        headers={"Authorization": request.header("authorization") or ""},
        exclude_oauth_signature=True,
    )
    base = signature.signature_base_string(
        request.method,
        signature.base_string_uri(base_url + request.path),
        signature.normalize_parameters(params),
    )
    expected = signature.sign_hmac_sha1_with_client(base, _Secrets(consumer_secret, token_secret))
    return hmac.compare_digest(expected, oauth_params(request).get("oauth_signature", ""))


class _Secrets:
    """The two secrets oauthlib's signing function reads from a client."""

    def __init__(self, client_secret: str, resource_owner_secret: str) -> None:
        self.client_secret = client_secret
        self.resource_owner_secret = resource_owner_secret
