"""`clearpost teams-package`: build the Teams app package (manifest and icons) from settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_teams_package(args: argparse.Namespace) -> int:
    from adapters.cli import load_settings
    from adapters.teams.package import build_package

    target = build_package(load_settings(), Path(args.output), version=args.version)
    sys.stdout.write(f"Teams app package written to {target}; upload it in Teams admin.\n")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "teams-package", help="build the Teams app package (manifest.json and icons, zipped)"
    )
    parser.add_argument("-o", "--output", default="clearpost-teams.zip", help="zip to write")
    parser.add_argument("--version", default="1.0.0", help="app version shown in Teams")
    parser.set_defaults(func=cmd_teams_package)
