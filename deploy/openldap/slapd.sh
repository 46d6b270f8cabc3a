#!/usr/bin/env bash
# The demo directory in the foreground: Debian's slapd with slapd.conf, loaded from directory.ldif
# on its first start. The sso profile of docker-compose.yml runs it; the LDAP tests start it the
# same way (tests/directory/conftest.py).
#   deploy/openldap/slapd.sh <run directory> [listen URL, default ldap:///]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="${1:?usage: slapd.sh <run directory> [listen URL]}"
url="${2:-ldap:///}"
PATH="$PATH:/usr/sbin"  # slapadd and slapd, for users whose PATH lacks it
mkdir -p "$run/data"
sed "s|@WORK@|$run|g" "$here/slapd.conf" >"$run/slapd.conf"
if [ ! -e "$run/data/data.mdb" ]; then
  slapadd -q -f "$run/slapd.conf" -l "$here/directory.ldif"
fi
exec slapd -d 0 -f "$run/slapd.conf" -h "$url"
