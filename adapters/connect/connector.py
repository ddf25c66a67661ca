"""`Connector`: the front door of connecting a channel's account, used by `clearpost channels
connect` (start, paste-the-code, app passwords) and by the callback route of `clearpost serve`
(adapters/connect/callback.py). Whichever process finishes an authorization saves the Credential
and records the outcome under its state, so the waiting CLI can say what happened.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import httpx

from adapters.connect import app_passwords, oauth1, oauth2
from adapters.connect.networks import APP_PASSWORD_NETWORKS, OAUTH1, OAUTH2
from adapters.connect.oauth2 import ConnectRefused
from adapters.connect.pending import Outcome, Pending, PendingAuthorizations, StateRefused
from adapters.publishers.base import ChannelConfig
from adapters.settings import Settings
from bot.errors import ClearpostError
from bot.ports import Clock
from storage.credentials import Credential, SqlCredentialStore
from storage.kv import SqlKeyValueStore

log = logging.getLogger(__name__)

CALLBACK_PATH = "/oauth/callback/{network}"


@dataclass(frozen=True)
class Started:
    state: str
    url: str  # where the person authorizes
    redirect_uri: str


# The channel setting each publisher posts to, which connect learns from the account.
ACCOUNT_SETTING = {"facebook": "page_id", "instagram": "ig_user_id"}


def connected_sentence(credential: Credential, config: ChannelConfig | None = None) -> str:
    said = f"{credential.channel} is connected as {credential.account_name}."
    key = ACCOUNT_SETTING.get(credential.network)
    if config is not None and key and config.option(key) != credential.account_id:
        said += (
            f' Set {key} = "{credential.account_id}" in [channels.{credential.channel}] '
            "so posts go there."
        )
    return said


class Connector:
    def __init__(
        self,
        settings: Settings,
        store: SqlCredentialStore,
        clock: Clock,
        *,
        environ: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self.environ = environ
        self.transport = transport
        self.pending = PendingAuthorizations(
            SqlKeyValueStore(store.engine, clock), store.cipher, clock
        )

    def config(self, channel: str) -> ChannelConfig:
        found = self.settings.channels.get(channel)
        if found is None:
            known = ", ".join(sorted(self.settings.channels)) or "none"
            raise ClearpostError(
                f"There is no channel `{channel}` in the settings (configured: {known})."
            )
        return ChannelConfig.from_settings(channel, found, self.environ)

    def kind(self, channel: str) -> str:
        """oauth2, oauth1 or app_password; refused for a network with nothing to connect."""
        network = self.config(channel).network
        if network in OAUTH2:
            return "oauth2"
        if network in OAUTH1:
            return "oauth1"
        if network in APP_PASSWORD_NETWORKS:
            return "app_password"
        raise ClearpostError(
            f"`{channel}` ({network}) has no account to connect: its secret stays in the "
            "environment (see `clearpost config check`)."
        )

    # -- starting ------------------------------------------------------------------------------

    def start(self, channel: str, base_url: str) -> Started:
        """Remember a new authorization and say where the person approves it. `base_url` is
        where the callback is served (public_base_url), or where the browser will fail to
        land when the person pastes the address back instead."""
        config = self.config(channel)
        redirect_uri = base_url.rstrip("/") + CALLBACK_PATH.format(network=config.network)
        self.store.cipher.encrypt(b"")  # no key: refused now, before the person is sent off
        if self.kind(channel) == "oauth1":
            token, secret, url = oauth1.request_token(config, redirect_uri, self.transport)
            pending = self.pending.begin(
                channel, config.network, redirect_uri, state=token, token_secret=secret
            )
            return Started(pending.state, url, redirect_uri)
        if self.kind(channel) != "oauth2":
            raise ClearpostError(f"`{channel}` connects with an app password, not a browser.")
        spec = OAUTH2[config.network]
        scopes = oauth2.scopes_for(config, spec)
        fields: dict[str, object] = {"extra": {"scopes": " ".join(scopes)}}
        if spec.pkce:
            fields["code_verifier"] = oauth2.new_verifier()
        if spec.register_app:
            with oauth2.http(config, self.transport) as client:
                cid, secret = oauth2.register_mastodon_app(config, client, redirect_uri, scopes)
            fields.update(client_id=cid, client_secret=secret)
        pending = self.pending.begin(channel, config.network, redirect_uri, **fields)
        return Started(
            pending.state, oauth2.authorization_url(config, spec, pending, scopes), redirect_uri
        )

    # -- finishing -----------------------------------------------------------------------------

    def complete(self, network: str, query: Mapping[str, str]) -> Outcome:
        """The redirect back from the network (the callback's query). Never raises for the
        person's or the network's doing: the Outcome says it, and is kept for the CLI."""
        state = query.get("state") or query.get("oauth_token") or ""
        try:
            pending = self.pending.take(state, network)
        except StateRefused as refused:
            return Outcome(False, str(refused))
        try:
            credential = self._credential(pending, query)
            saved = self.store.save(credential)
            outcome = Outcome(True, connected_sentence(saved, self.config(saved.channel)))
            log.info(
                "%s connected (%s, account %s)", saved.channel, saved.network, saved.account_id
            )
        except ClearpostError as refused:
            outcome = Outcome(False, str(refused))
            log.warning("%s: connect refused (%s)", pending.channel, type(refused).__name__)
        except Exception as bug:  # the waiting CLI must still hear that it is over
            ref = secrets.token_hex(2)
            # The name only: a message may quote an answer that carries a token.
            log.error("%s: connect failed (ref %s, %s)", pending.channel, ref, type(bug).__name__)
            outcome = Outcome(
                False,
                f"Something went wrong on our side (ref {ref}); nothing was saved. Run "
                f"`clearpost channels connect {pending.channel}` again.",
            )
        self.pending.finish(state, outcome)
        return outcome

    def complete_pasted(self, started: Started, pasted: str) -> Outcome:
        """The paste-the-code fallback: the address the browser was sent to, or the code."""
        finished = self.pending.outcome(started.state)
        if finished is not None:  # `serve` was reachable after all and finished it
            return finished
        pasted = pasted.strip()
        network = urlsplit(started.redirect_uri).path.rstrip("/").rsplit("/", 1)[-1]
        if "?" in pasted or "=" in pasted:
            query = dict(parse_qsl(pasted.split("?", 1)[-1].split("#", 1)[0]))
        elif OAUTH1.get(network):
            query = {"oauth_token": started.state, "oauth_verifier": pasted}
        else:
            query = {"state": started.state, "code": pasted}
        if not query.get("state") and not query.get("oauth_token"):
            query["state"] = started.state
        if query.get("state", started.state) != started.state and "oauth_token" not in query:
            return Outcome(
                False, "That address belongs to another authorization; nothing was saved."
            )
        return self.complete(network, query)

    def connect_app_password(self, channel: str, password: str) -> Outcome:
        config = self.config(channel)
        credential = app_passwords.credential_for(config, password, self.transport)
        saved = self.store.save(credential)
        return Outcome(True, connected_sentence(saved))

    def _credential(self, pending: Pending, query: Mapping[str, str]) -> Credential:
        config = self.config(pending.channel)
        if query.get("error") or query.get("denied"):
            error = query.get("error") or "denied"
            said = query.get("error_description")
            why = (
                "the authorization was declined"
                if error in ("access_denied", "denied", "user_cancelled_login", "user_denied")
                else f"{config.label} answered {error}" + (f" ({said})" if said else "")
            )
            raise ConnectRefused(
                f"`{pending.channel}` was not connected: {why}. Nothing was saved; run "
                f"`clearpost channels connect {pending.channel}` to try again."
            )
        if pending.network in OAUTH1:
            verifier = query.get("oauth_verifier")
            if not verifier:
                raise ConnectRefused(
                    f"`{pending.channel}` was not connected: {config.label} sent no verifier "
                    "(the authorization was declined?). Nothing was saved."
                )
            return oauth1.credential_for(config, pending, verifier, self.transport)
        code = query.get("code")
        if not code:
            raise ConnectRefused(
                f"`{pending.channel}` was not connected: the address has no authorization code. "
                "Nothing was saved."
            )
        return oauth2.credential_for(config, pending, code, self.clock.now(), self.transport)
