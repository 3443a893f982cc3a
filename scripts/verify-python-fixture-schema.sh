#!/usr/bin/env bash
# Checks the transcribed DDL of tests/fixtures/python-db against the schema the original's own Django migration
# creates: runs endoreg-db's migration file(s) with Django >= 5.1 on a scratch PostgreSQL database and compares the
# columns (name, type, length, NULL-ness, default, identity) and the keys of the tables the import reads.
#
# Usage: scripts/verify-python-fixture-schema.sh v0_7 MIGRATIONS_DIR
#        scripts/verify-python-fixture-schema.sh v1_0 OVERRIDES_DIR ENDOREG_ROOT
#   MIGRATIONS_DIR  (0.7) a folder with endoreg-db's endoreg_db/migrations/*.py of that line:
#                   git -C <endoreg-db clone> show <0.7 commit>:endoreg_db/migrations/0001_initial.py > DIR/0001_initial.py
#   OVERRIDES_DIR   (1.0) lx-annotate's lx_annotate/migration_overrides/endoreg_db/*.py at the commit that pins
#                   endoreg-db==1.0.6.3: the migration set an lx-annotate install runs (MIGRATION_MODULES)
#   ENDOREG_ROOT    (1.0) a Python path root with the endoreg_db package those files import: endoreg_db/migrations/
#                   with endoreg-db's files that the override set proxies (0001_initial, 0002_export_flags,
#                   0003_patientexaminationreport_report_and_more, 0006_applicationsettings, 0007_pdfprocessinghistory,
#                   0008_imageclassificationannotation_upsert_fields, 0012_networknode_transferjob), and the three
#                   modules the override files name (models.hub.upload_job.upload_job_upload_to,
#                   models.media.video.storage_mode.get_default_video_storage_mode_value,
#                   utils.encryption.encrypted.LazyEncryptedStorage); an upload_to, a default callable and a storage
#                   class never reach the database, so stand-ins do for them, as does an empty 0001_initial (the
#                   squashed migration replaces it)
# Needs LXA_TEST_POSTGRES, psql, and Django with psycopg2 (python3 on PATH, or DJANGO_PYTHONPATH). The migrations
# were written by Django 6; Django 3.2 (Debian 12's python3-django) runs them with a shim for CheckConstraint's
# 'condition' (set up below), and then makes id columns serial where Django >= 4.1 makes them identity.
# Columns (and, for 1.0, column order, indexes, constraints and the django_migrations history) are compared; foreign
# keys to tables the fixture leaves out are the expected difference, as are serial ids under Django < 4.1 and the
# printed form of a partial index's predicate after the pg_dump round trip. The script prints every difference.
set -euo pipefail

line="${1:?LINE (v0_7 or v1_0)}"
migrations="$(cd "${2:?MIGRATIONS_DIR or OVERRIDES_DIR}" && pwd)"
endoreg_root=""
[ "$line" = v1_0 ] && endoreg_root="$(cd "${3:?ENDOREG_ROOT}" && pwd)"
repo="$(cd "$(dirname "$0")/.." && pwd)"
admin="${LXA_TEST_POSTGRES:?set LXA_TEST_POSTGRES to the admin connection string of a test cluster}"
export PGHOST="$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$admin")" PGPORT="$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$admin")" PGUSER="$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$admin")"
work="$(mktemp -d)"
real="lxa_verify_real_$$" fixture="lxa_verify_fixture_$$"
trap 'rm -rf "$work"; psql -q -d postgres -c "DROP DATABASE IF EXISTS $real" -c "DROP DATABASE IF EXISTS $fixture" >/dev/null 2>&1' EXIT

if [ "$line" = v1_0 ]; then
  mkdir -p "$work/lx_annotate/migration_overrides/endoreg_db"
  touch "$work/lx_annotate/__init__.py" "$work/lx_annotate/migration_overrides/__init__.py"
  cp "$migrations"/*.py "$work/lx_annotate/migration_overrides/endoreg_db/"
  modules='MIGRATION_MODULES = {"endoreg_db": "lx_annotate.migration_overrides.endoreg_db"}'
else
  mkdir -p "$work/endoreg_db/migrations"
  touch "$work/endoreg_db/__init__.py"
  cp "$migrations"/*.py "$work/endoreg_db/migrations/"
  touch "$work/endoreg_db/migrations/__init__.py"
  modules=""
fi
cat >"$work/settings.py" <<PY
import django
from django.db.models import CheckConstraint

if django.VERSION < (5, 1):
    # Before 5.1 CheckConstraint's predicate is called 'check'; the migrations name it 'condition'.
    _init = CheckConstraint.__init__
    CheckConstraint.__init__ = lambda self, *, check=None, condition=None, name, **kw: _init(
        self, check=condition if check is None else check, name=name, **kw)

SECRET_KEY = "verify-only"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "endoreg_db"]
$modules
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "$real", "USER": "$PGUSER", "HOST": "$PGHOST", "PORT": "$PGPORT"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
PY
psql -q -d postgres -c "CREATE DATABASE $real" -c "CREATE DATABASE $fixture"
PYTHONPATH="$work:${DJANGO_PYTHONPATH:-}:$endoreg_root" DJANGO_SETTINGS_MODULE=settings python3 -m django migrate -v 0
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
if [ "$line" = v1_0 ]; then
  order="SELECT table_name, string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name IN ($tables) GROUP BY 1 ORDER BY 1"
  indexes="SELECT tablename, indexname, regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes
    WHERE schemaname = 'public' AND tablename IN ($tables) ORDER BY 1, 2"
  constraints="SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid::regclass::text IN ($tables) ORDER BY 1, 2"
  history="SELECT app, name FROM django_migrations ORDER BY app, name"
  diff <(psql -At -d "$real" -c "$order") <(psql -At -d "$fixture" -c "$order") && echo "column order: identical" || status=1
  diff <(psql -At -d "$real" -c "$indexes") <(psql -At -d "$fixture" -c "$indexes") && echo "indexes: identical" || echo "indexes: differences above (a partial index's predicate prints differently once it went through pg_dump)"
  diff <(psql -At -d "$real" -c "$constraints") <(psql -At -d "$fixture" -c "$constraints") && echo "constraints: identical" || echo "constraints: differences above (expected: only foreign keys to tables the fixture leaves out)"
  diff <(psql -At -d "$real" -c "$history") <(psql -At -d "$fixture" -c "$history") && echo "django_migrations: identical" || status=1
fi
exit "$status"
