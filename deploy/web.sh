#!/usr/bin/env bash
# The web process: gunicorn with deploy/gunicorn.conf.py (GUNICORN_BIND, WEB_CONCURRENCY).
# WSGI_APP serves another application the same way (make bench: its bare baseline).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
exec "$BIN/gunicorn" --config deploy/gunicorn.conf.py "${WSGI_APP:-smartportal.wsgi:application}" "$@"
