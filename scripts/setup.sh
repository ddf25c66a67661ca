#!/usr/bin/env bash
# Sets up Clearpost on a fresh machine: OS packages (when asked), a virtualenv in .venv, the package.
#   scripts/setup.sh          the bot only
#   scripts/setup.sh --test   also the test tools, PostgreSQL and LibreOffice (for the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

need_apt=()
if [ "$want_test" = 1 ]; then
  if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need_apt+=(postgresql)
  fi
  if ! command -v soffice >/dev/null 2>&1; then
    need_apt+=(libreoffice-calc-nogui)
  fi
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "Installing OS packages: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Clearpost needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
