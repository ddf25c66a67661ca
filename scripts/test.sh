#!/usr/bin/env bash
# Sets up everything the tests need (PostgreSQL, LibreOffice) and runs the whole
# suite, lint first; then runs the time-sensitive tests again with the wall clock shifted a year
# ahead and across both US daylight-saving changes, so the suite passes on any date.
#   scripts/test.sh                      all of it: what CI runs
#   scripts/test.sh tests/unit -k time   only these pytest arguments, on the real clock
#   CLOCK_SHIFTS=0 scripts/test.sh       everything but the shifted runs
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import boundaries"
.venv/bin/lint-imports
echo "== mypy --strict bot/"
.venv/bin/mypy

# The suite starts its own PostgreSQL server on 127.0.0.1 (tests/pg_server.py); this command
# installed LibreOffice, so its round trip must run, not skip.
export REQUIRE_SOFFICE=1
pytest=(.venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist worksteal)

if [ "$#" -gt 0 ]; then
  echo "== pytest $*"
  exec "${pytest[@]}" "$@"
fi

started=$SECONDS
echo "== pytest: the whole suite"
"${pytest[@]}" --durations=15
echo "   (whole suite: $((SECONDS - started)) s)"

if [ "${CLOCK_SHIFTS:-1}" = "0" ]; then
  exit 0
fi
# tests/clock_shift/sitecustomize.py moves "now" by the same offset in every Python process of
# the run (pytest, its workers, serve, the console); the monotonic clock stays real. (libfaketime
# was tried first: under it, Python's timed waits on this glibc hang or fail with EINVAL.)
mapfile -t labels < <(.venv/bin/python scripts/clock_shifts.py)
for label in "${labels[@]}"; do
  seconds=$(.venv/bin/python scripts/clock_shifts.py "$label")
  started=$SECONDS
  echo "== pytest -m clock, the wall clock shifted: $label (+${seconds} s)"
  TEST_CLOCK_SHIFT_SECONDS="$seconds" PYTHONPATH="$PWD/tests/clock_shift" \
    "${pytest[@]}" -m clock -q
  echo "   ($label: $((SECONDS - started)) s)"
done
