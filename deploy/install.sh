#!/usr/bin/env bash
# Create the virtualenv (if missing) and install the locked runtime dependencies into it
# (requirements.txt: exact versions with hashes, `make lock` upgrades them).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
[ -x "$BIN/python" ] || python3 -m venv "${VENV:-.venv}"
"$BIN/pip" install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
# LDAP / Active Directory login (LDAP_URL): django-auth-ldap, whose python-ldap builds from source;
# the compose image has its compiler and headers (docker-compose.yml).
if [ -n "${LDAP_URL:-}" ] || [ "${INSTALL_LDAP:-}" = 1 ]; then
  "$BIN/pip" install --quiet --disable-pip-version-check --require-hashes -r requirements-ldap.txt
fi
