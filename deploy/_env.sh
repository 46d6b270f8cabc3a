# Sourced by the deploy/*.sh scripts: run from the project root with the virtualenv's binaries.
# VENV (default .venv) may point elsewhere; DJANGO_SETTINGS_MODULE defaults to production.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${VENV:-.venv}/bin"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-smartportal.settings.production}"
export PYTHONUNBUFFERED=1
