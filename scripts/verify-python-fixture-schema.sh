#!/usr/bin/env bash
# Checks the transcribed DDL of tests/fixtures/python-db against the schema the original's own Django migration
# creates: runs endoreg-db's migration file(s) with Django >= 5.1 on a scratch PostgreSQL database and compares the
# columns (name, type, length, NULL-ness, default, identity) and the keys of the tables the import reads.
#
# Usage: scripts/verify-python-fixture-schema.sh LINE MIGRATIONS_DIR
#   LINE            v0_7 or v1_0 (the committed dump to compare)
#   MIGRATIONS_DIR  a folder with endoreg-db's endoreg_db/migrations/*.py of that line, e.g. for 0.7:
#                   git -C <endoreg-db clone> show <0.7 commit>:endoreg_db/migrations/0001_initial.py > DIR/0001_initial.py
# Needs LXA_TEST_POSTGRES, psql, and Django >= 5.1 with psycopg2 on DJANGO_PYTHONPATH (Debian 12's python3-django is
# 3.2; sid's python3-django, python3-asgiref and bookworm's python3-psycopg2 unpacked with dpkg-deb -x work).
# Foreign keys to tables the fixture leaves out are the one expected difference; the script prints every difference.
set -euo pipefail

line="${1:?LINE (v0_7 or v1_0)}"
migrations="$(cd "${2:?MIGRATIONS_DIR}" && pwd)"
repo="$(cd "$(dirname "$0")/.." && pwd)"
admin="${LXA_TEST_POSTGRES:?set LXA_TEST_POSTGRES to the admin connection string of a test cluster}"
export PGHOST="$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$admin")" PGPORT="$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$admin")" PGUSER="$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$admin")"
work="$(mktemp -d)"
real="lxa_verify_real_$$" fixture="lxa_verify_fixture_$$"
trap 'rm -rf "$work"; psql -q -d postgres -c "DROP DATABASE IF EXISTS $real" -c "DROP DATABASE IF EXISTS $fixture" >/dev/null 2>&1' EXIT

mkdir -p "$work/endoreg_db/migrations"
touch "$work/endoreg_db/__init__.py"
cp "$migrations"/*.py "$work/endoreg_db/migrations/"
touch "$work/endoreg_db/migrations/__init__.py"
cat >"$work/settings.py" <<PY
SECRET_KEY = "verify-only"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "endoreg_db"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "$real", "USER": "$PGUSER", "HOST": "$PGHOST", "PORT": "$PGPORT"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PY
psql -q -d postgres -c "CREATE DATABASE $real" -c "CREATE DATABASE $fixture"
PYTHONPATH="${DJANGO_PYTHONPATH:-}:$work" DJANGO_SETTINGS_MODULE=settings python3 -m django migrate -v 0
psql -q -v ON_ERROR_STOP=1 -d "$fixture" -f "$repo/tests/fixtures/python-db/$line.sql" >/dev/null

tables="'endoreg_db_center','endoreg_db_sensitivemeta','endoreg_db_uploadjob','endoreg_db_rawpdffile','endoreg_db_videofile'"
columns="SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''), is_nullable, coalesce(column_default, ''), is_identity
  FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ($tables) ORDER BY 1, 2"
keys="SELECT tc.table_name, tc.constraint_type, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position), coalesce(max(ccu.table_name), '')
  FROM information_schema.table_constraints tc
  JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
  LEFT JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND tc.constraint_type = 'FOREIGN KEY'
  WHERE tc.table_schema = 'public' AND tc.table_name IN ($tables) GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type ORDER BY 1, 2, 3"
status=0
diff <(psql -At -d "$real" -c "$columns") <(psql -At -d "$fixture" -c "$columns") && echo "columns: identical" || status=1
diff <(psql -At -d "$real" -c "$keys") <(psql -At -d "$fixture" -c "$keys") && echo "keys: identical" || echo "keys: differences above (expected: only foreign keys to tables the fixture leaves out)"
exit "$status"
