"""`clearpost`: start, serve, console, db upgrade, config check, and each front end's commands.

Bad settings or arguments end with a message naming what to fix and exit status 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import timedelta

from pydantic import ValidationError

from adapters.bootstrap import ChatBuilder, Core, build_core
from adapters.config_report import config_report
from adapters.logging_setup import configure_logging
from adapters.settings import Settings
from bot.errors import ClearpostError

# Modules that add their own subcommands with `register(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = (
    "adapters.cli_export",
    "adapters.cli_teams",
    "adapters.cli_channels",
    "adapters.cli_screen",
    "adapters.cli_credentials",
    "adapters.cli_audit",
    "adapters.cli_consent",
)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError:
        _, report = config_report()
        raise SystemExit(report + "\nRun `clearpost config check` after fixing.") from None


def open_core(
    settings: Settings | None = None, quiet: bool = False, chat: Sequence[ChatBuilder] = ()
) -> Core:
    settings = settings or load_settings()
    # The console shares the terminal with its user: only warnings, unless a level was asked for.
    asked = "CLEARPOST_LOG_LEVEL" in os.environ
    configure_logging(settings.log_level if asked or not quiet else "WARNING")
    return build_core(settings, chat=chat)


def cmd_console(_args: argparse.Namespace) -> int:
    from adapters.console import console_chat, printer, run_console
    from adapters.scheduling_mount import start_scheduling

    core = open_core(quiet=True, chat=[console_chat(printer(sys.stdout))])
    # Approved posts publish while the console runs; outcomes print as thread replies.
    start_scheduling(core, first_sweep_in=timedelta(seconds=1))
    try:
        run_console(core.workflow)
    finally:
        core.shutdown()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from adapters.web import build_web_app, chats

    settings = load_settings()
    core = open_core(settings, chat=chats())
    host = args.host or settings.http_host
    port = args.port if args.port is not None else settings.http_port
    try:
        web.run_app(build_web_app(core), host=host, port=port, print=None)
    finally:
        core.shutdown()
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.slack_enabled or settings.teams_enabled:
        args.host, args.port = None, None
        return cmd_serve(args)
    print("No Slack or Teams settings: starting the local console on", settings.database_url)
    return cmd_console(args)


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from storage.engine import make_engine
    from storage.migrate import current_revision, upgrade

    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    print(f"Database is at migration {current_revision(engine)}.")
    engine.dispose()
    return 0


def cmd_config_check(_args: argparse.Namespace) -> int:
    ok, report = config_report()
    print(report)
    return 0 if ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clearpost",
        description="Propose, approve, schedule and publish a practice's social-media posts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = sub.add_parser("start", help="serve Slack/Teams if configured, else the console")
    start.set_defaults(func=cmd_start)
    serve = sub.add_parser("serve", help="run the HTTP server (Slack, Teams, health, feeds)")
    serve.add_argument("--host", help="address to bind (default CLEARPOST_HTTP_HOST)")
    serve.add_argument("--port", type=int, help="port (default CLEARPOST_HTTP_PORT)")
    serve.set_defaults(func=cmd_serve)
    console = sub.add_parser("console", help="the local chat console")
    console.set_defaults(func=cmd_console)

    db = sub.add_parser("db", help="database commands")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply migrations").set_defaults(func=cmd_db_upgrade)

    config = sub.add_parser("config", help="settings commands")
    config_sub = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    config_sub.add_parser("check", help="validate and show settings").set_defaults(
        func=cmd_config_check
    )

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ClearpostError as exc:
        print(f"clearpost: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        logging.getLogger(__name__).debug("command failed", exc_info=True)
        print(f"clearpost: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
