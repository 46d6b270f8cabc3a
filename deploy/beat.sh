#!/usr/bin/env bash
# Celery beat: the schedules of CELERY_BEAT_SCHEDULE (re-enqueues e-mails left pending).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
exec "$BIN/celery" -A smartportal beat --loglevel=INFO \
  --schedule="${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}" "$@"
