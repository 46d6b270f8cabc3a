#!/usr/bin/env bash
# The Celery worker (sends the outbox e-mails). CELERY_CONCURRENCY processes (default 2).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
exec "$BIN/celery" -A smartportal worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" \
  --without-gossip --without-mingle "$@"
