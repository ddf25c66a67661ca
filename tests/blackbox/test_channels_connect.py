"""`clearpost channels connect` and `clearpost serve` as two real processes on one database: the
command prints X's authorization address and waits; the browser approves at the stand-in and
lands on serve's callback; serve exchanges the code and saves the account; the command sees it
and ends with the sentence, exit status 0."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading

from adapters.credentials.keys import new_key
from tests.blackbox.serve import channels_env
from tests.connect.conftest import browser_follows
from tests.standins.networks import Reply
from tests.standins.oauth_authorize import AuthorizationServer


def test_connect_waits_for_the_callback_that_serve_receives(serve, network):
    AuthorizationServer(network, "/i/oauth2/authorize", "/2/oauth2/token", pkce=True, rotates=True)
    network.script("GET", "/2/users/me", Reply(200, {"data": {"id": "22", "username": "clinic"}}))
    channel = {
        "network": "x",
        "client_id": "cid",
        "base_url": network.base_url,
        "authorize_url": f"{network.base_url}/i/oauth2/authorize",
        "token_url": f"{network.base_url}/2/oauth2/token",
    }
    process = serve(
        {"CLEARPOST_SECRET_KEY": new_key(), "CLEARPOST_CHANNELS": channels_env(x_main=channel)},
        wait=False,
    )
    process.env["CLEARPOST_PUBLIC_BASE_URL"] = process.url
    process.start()
    command = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "adapters.cli",
            "channels",
            "connect",
            "x-main",
            "--wait-minutes",
            "1",
        ],
        cwd=process.workdir,
        env=process.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(
        target=lambda: [lines.put(line) for line in command.stdout], daemon=True
    )
    reader.start()
    try:
        said = [lines.get(timeout=60) for _ in range(2)]
        page = browser_follows(said[1].strip())
        status = command.wait(timeout=30)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait(timeout=5)
    reader.join(10)  # the command's last lines, up to its end of output
    rest = []
    while not lines.empty():
        rest.append(lines.get())

    assert "x-main is connected as @clinic" in page.text
    assert status == 0, "".join(said + rest)
    assert rest[-1].strip() == "x-main is connected as @clinic."
    ((name, sealed),) = process.query("SELECT account_name, sealed FROM channel_credential")
    assert name == "@clinic" and "first-access" not in sealed
    log = process.output()
    assert "/oauth/callback/x?…[not logged]" in log  # aiohttp's access line, without the code
    assert "code-" not in log and "state=" not in log
