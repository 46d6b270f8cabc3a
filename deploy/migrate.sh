#!/usr/bin/env bash
# One-shot: apply migrations and collect the static files (hashed, compressed: WhiteNoise).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
"$BIN/python" manage.py migrate --noinput
"$BIN/python" manage.py collectstatic --noinput --verbosity 0
