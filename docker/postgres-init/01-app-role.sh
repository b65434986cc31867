#!/bin/sh
# Runs once, when the postgres container initialises its volume: the runtime role Kept serves
# with. It is not a superuser and owns nothing; Kept's owner (POSTGRES_USER) grants it what it
# needs after migrating (docs/decisions/0007-record-threat-model.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE kept_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${KEPT_APP_PASSWORD:-kept_app}';
SQL
