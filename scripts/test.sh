#!/usr/bin/env bash
# Sets up everything the tests need (PostgreSQL included) and runs the whole suite, lint first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import boundaries"
.venv/bin/lint-imports
echo "== pytest"
# The suite starts its own PostgreSQL server on 127.0.0.1 (tests/pg_server.py).
.venv/bin/python -m pytest "$@"
