#!/usr/bin/env bash
# The chat's events process: uvicorn serving smartportal.events (chat/stream.py: server-sent events
# fed by Redis pub/sub) on EVENTS_BIND (default 0.0.0.0:8001). One asyncio process holds every open
# chat's connection, so gunicorn's sync workers never do. Browsers reach it at CHAT_EVENTS_URL.
set -euo pipefail
source "$(dirname "$0")/_env.sh"
BIND="${EVENTS_BIND:-0.0.0.0:8001}"
exec "$BIN/uvicorn" smartportal.events:application --host "${BIND%:*}" --port "${BIND##*:}" \
  --no-access-log --timeout-graceful-shutdown 5 --log-level "$(echo "${LOG_LEVEL:-info}" | tr 'A-Z' 'a-z')" "$@"
