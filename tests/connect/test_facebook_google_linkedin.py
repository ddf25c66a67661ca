"""Facebook Login as documented (code -> user token -> long-lived user token -> the Page's token
and its Instagram business account), and the authorization requests of YouTube (offline access,
consent every time) and LinkedIn (organization or member scopes), through Clearpost's callback."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from tests.connect.conftest import browser_follows
from tests.standins.networks import Recorded, Reply
from tests.standins.oauth_authorize import AuthorizationServer

VERSION = "v23.0"


class FacebookLogin:
    """www.facebook.com/<v>/dialog/oauth and graph.facebook.com's token exchanges and
    /me/accounts, on one stand-in (developers.facebook.com/docs/facebook-login/guides)."""

    def __init__(self, server) -> None:
        self.exchanges: list[dict[str, str]] = []
        server.respond("GET", f"/{VERSION}/dialog/oauth", self.dialog)
        server.respond("GET", f"/{VERSION}/oauth/access_token", self.token)
        server.respond("GET", f"/{VERSION}/me/accounts", self.accounts)

    def dialog(self, request: Recorded) -> Reply:
        asked = {k: v[0] for k, v in request.query.items()}
        self.asked = asked
        answer = urlencode({"code": "fb-code", "state": asked["state"]})
        return Reply(302, headers={"Location": f"{asked['redirect_uri']}?{answer}"})

    def token(self, request: Recorded) -> Reply:
        asked = {k: v[0] for k, v in request.query.items()}
        self.exchanges.append(asked)
        if asked.get("client_id") != "app" or asked.get("client_secret") != "appsecret":
            return Reply(400, {"error": {"type": "OAuthException", "code": 1}})
        if asked.get("grant_type") == "fb_exchange_token" and asked["fb_exchange_token"] == "short":
            return Reply(
                200, {"access_token": "long", "token_type": "bearer", "expires_in": 5183944}
            )
        if asked.get("code") == "fb-code":
            return Reply(200, {"access_token": "short", "token_type": "bearer", "expires_in": 5400})
        return Reply(400, {"error": {"type": "OAuthException", "code": 100}})

    def accounts(self, request: Recorded) -> Reply:
        if request.header("authorization") != "Bearer long":
            return Reply(401, {"error": {"code": 190}})
        return Reply(
            200,
            {
                "data": [
                    {
                        "id": "104233456789012",
                        "name": "Riverside Clinic",
                        "access_token": "page-token",
                        "instagram_business_account": {
                            "id": "17841400000000000",
                            "username": "riverside",
                        },
                    },
                    {"id": "999", "name": "Another Page", "access_token": "other"},
                ]
            },
        )


def graph_channel(server, network: str) -> dict[str, object]:
    return {
        "network": network,
        "client_id": "app",
        "page_id": "104233456789012",
        "ig_user_id": "17841400000000000",
        "base_url": server.base_url,
        "authorize_url": f"{server.base_url}/{VERSION}/dialog/oauth",
        "token_url": f"{server.base_url}/{VERSION}/oauth/access_token",
    }


def test_facebook_saves_the_pages_token_from_a_long_lived_user_token(
    server, install_for, monkeypatch
):
    monkeypatch.setenv("CLEARPOST_FB_MAIN_CLIENT_SECRET", "appsecret")
    monkeypatch.setenv("CLEARPOST_IG_MAIN_CLIENT_SECRET", "appsecret")
    login = FacebookLogin(server)
    install = install_for(
        {
            "fb-main": graph_channel(server, "facebook"),
            "ig-main": graph_channel(server, "instagram"),
        }
    )

    page = browser_follows(install.connector().start("fb-main", install.served.url).url)
    ig_page = browser_follows(install.connector().start("ig-main", install.served.url).url)

    assert "fb-main is connected as Riverside Clinic" in page.text
    assert login.exchanges[1]["grant_type"] == "fb_exchange_token"
    stored = install.store.get("fb-main")
    assert (stored.access_token, stored.account_id, stored.expires_at) == (
        "page-token",
        "104233456789012",
        None,  # a Page token from a long-lived user token does not expire
    )
    assert "ig-main is connected as @riverside" in ig_page.text
    assert install.store.get("ig-main").account_id == "17841400000000000"
    assert "instagram_content_publish" in login.asked["scope"].split()


def test_youtube_asks_for_offline_access_and_consent(server, install_for, monkeypatch):
    monkeypatch.setenv("CLEARPOST_YT_MAIN_CLIENT_SECRET", "gsecret")
    auth = AuthorizationServer(
        server, "/o/oauth2/v2/auth", "/token", client_id="gid", client_secret="gsecret"
    )
    server.script(
        "GET",
        "/youtube/v3/channels",
        Reply(200, {"items": [{"id": "UC123", "snippet": {"title": "Riverside Clinic"}}]}),
    )
    install = install_for(
        {
            "yt-main": {
                "network": "youtube",
                "client_id": "gid",
                "base_url": server.base_url,
                "authorize_url": f"{server.base_url}/o/oauth2/v2/auth",
                "token_url": f"{server.base_url}/token",
            }
        }
    )

    page = browser_follows(install.connector().start("yt-main", install.served.url).url)

    asked = {k: v[0] for k, v in auth.authorizations[0].query.items()}
    assert (asked["access_type"], asked["prompt"]) == ("offline", "consent")
    assert "https://www.googleapis.com/auth/youtube.upload" in asked["scope"].split()
    assert "yt-main is connected as Riverside Clinic" in page.text
    assert install.store.get("yt-main").refresh_token  # what offline access is for
    channels = server.to("GET", "/youtube/v3/channels")[0]
    assert channels.query["mine"] == ["true"]


def test_linkedin_asks_for_organization_scopes_and_names_the_member(
    server, install_for, monkeypatch
):
    monkeypatch.setenv("CLEARPOST_LI_MAIN_CLIENT_SECRET", "lsecret")
    auth = AuthorizationServer(
        server,
        "/oauth/v2/authorization",
        "/oauth/v2/accessToken",
        client_id="lid",
        client_secret="lsecret",
        extra_grant={"refresh_token_expires_in": 31536000},
    )
    server.script("GET", "/v2/userinfo", Reply(200, {"sub": "782bbtaQ", "name": "Rita Reyes"}))
    install = install_for(
        {
            "li-main": {
                "network": "linkedin",
                "client_id": "lid",
                "organization_id": "2414183",
                "base_url": server.base_url,
                "authorize_url": f"{server.base_url}/oauth/v2/authorization",
                "token_url": f"{server.base_url}/oauth/v2/accessToken",
            }
        }
    )

    started = install.connector().start("li-main", install.served.url)
    page = browser_follows(started.url)

    scope = parse_qs(urlsplit(started.url).query)["scope"][0].split()
    assert {"openid", "profile", "w_organization_social"} <= set(scope)
    assert auth.exchanges[0].form()["client_secret"] == "lsecret"  # in the form, as documented
    assert "li-main is connected as Rita Reyes" in page.text
    stored = install.store.get("li-main")
    assert stored.refresh_expires_at is not None


def test_without_page_id_several_pages_are_named_and_nothing_is_saved(
    server, install_for, monkeypatch
):
    monkeypatch.setenv("CLEARPOST_FB_MAIN_CLIENT_SECRET", "appsecret")
    FacebookLogin(server)
    channel = {k: v for k, v in graph_channel(server, "facebook").items() if k != "page_id"}
    install = install_for({"fb-main": channel})

    page = browser_follows(install.connector().start("fb-main", install.served.url).url)

    assert "Riverside Clinic (104233456789012), Another Page (999)" in page.text
    assert "set the channel&#x27;s page_id" in page.text
    assert install.store.get("fb-main") is None


def test_instagram_connected_without_ig_user_id_says_which_to_set(server, install_for, monkeypatch):
    monkeypatch.setenv("CLEARPOST_IG_MAIN_CLIENT_SECRET", "appsecret")
    FacebookLogin(server)
    channel = {k: v for k, v in graph_channel(server, "instagram").items() if k != "ig_user_id"}
    install = install_for({"ig-main": channel})

    page = browser_follows(install.connector().start("ig-main", install.served.url).url)

    assert "Set ig_user_id = &quot;17841400000000000&quot; in [channels.ig-main]" in page.text
