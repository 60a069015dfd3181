#!/usr/bin/env bash
# Back up the Stagekans database: a consistent snapshot (pg_dump runs in one transaction, so
# the web and workers keep running) in PostgreSQL's compressed custom format.
#
#   scripts/backup-db.sh DATABASE_URL FILE.dump
#
# Procedure, checks and restore: docs/operations.md. Tested by tests/operations/test_backup_restore.py.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "gebruik: $0 DATABASE_URL BESTAND.dump" >&2
  exit 2
fi
url=$1 file=$2
tmp="$file.part"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$tmp" "$url"
# A dump that pg_restore cannot list is not a backup: check before it replaces the last one.
pg_restore --list "$tmp" >/dev/null
mv "$tmp" "$file"
echo "backup: $file ($(du -h "$file" | cut -f1))"
