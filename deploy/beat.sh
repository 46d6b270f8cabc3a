#!/usr/bin/env bash
# Celery beat: the schedules of CELERY_BEAT_SCHEDULE (re-enqueues e-mails left pending).
# Run one; a second one started anyway stands by (smartportal/beat.py: a lease in Redis).
set -euo pipefail
source "$(dirname "$0")/_env.sh"
exec "$BIN/celery" -A smartportal beat --loglevel=INFO --scheduler smartportal.beat:LeaderScheduler \
  --schedule="${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}" "$@"
