#!/usr/bin/env bash
# Restore a backup made by scripts/backup-db.sh into a NEW, empty database.
#
#   scripts/restore-db.sh FILE.dump DATABASE_URL_OF_AN_EMPTY_DATABASE
#
# One transaction: either everything is restored or nothing is (--single-transaction,
# --exit-on-error). Never restores over a database that has tables in it.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "gebruik: $0 BESTAND.dump DATABASE_URL (van een lege database)" >&2
  exit 2
fi
file=$1 url=$2
tables=$(psql --no-psqlrc -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'" "$url")
if [ "$tables" != "0" ]; then
  echo "weigering: de doeldatabase heeft al $tables tabellen; herstel alleen in een lege database." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$url" "$file"
psql --no-psqlrc -q -c "ANALYZE" "$url"
echo "hersteld: $file -> database $(psql --no-psqlrc -tAc 'SELECT current_database()' "$url")"
