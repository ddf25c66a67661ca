#!/usr/bin/env bash
# Sets up Clearpost and starts it: the Slack/Teams server when their settings are present,
# otherwise the local console on the embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/clearpost start "$@"
