#!/usr/bin/env bash
# Adds a migration NAME for both providers (PostgreSQL and SQLite); commit both folders.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: scripts/add-migration.sh NAME" >&2; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet tool restore >/dev/null
for pair in "PostgresLxaDbContext:Postgres" "SqliteLxaDbContext:Sqlite"; do
  context="${pair%%:*}"; folder="${pair##*:}"
  dotnet ef migrations add "$1" \
    --project src/Hub --startup-project src/Hub \
    --context "$context" --output-dir "Data/Migrations/$folder"
done
