#!/bin/sh
# Apply migrations before serving; `migrate` alone runs them as a one-off.
set -e
if [ "$1" = "migrate" ]; then
    exec python manage.py migrate --no-input
fi
if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
    python manage.py migrate --no-input
fi
exec "$@"
