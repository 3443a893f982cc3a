#!/usr/bin/env bash
# Regenerates tests/fixtures/python-db: two PostgreSQL dumps with the original system's (endoreg-db's) schema, one
# per schema line the import knows, and the storage tree their rows point to. CI only restores the committed dumps.
#
# Usage: scripts/make-python-fixture.sh   (needs LXA_TEST_POSTGRES, e.g. from a test cluster, plus psql/pg_dump)
#
# The DDL (scripts/python-fixture-ddl.sh) is transcribed, not invented: only the tables the import reads, with their columns, types, NULL-ness,
# constraints and indexes as Django's PostgreSQL backend creates them from these migration files:
#   0.7 line:  wg-lux/endoreg-db endoreg_db/migrations/0001_initial.py (version 0.7.0, generated 2025-09-15; the only
#              migration): CreateModel Center, SensitiveMeta, RawPdfFile, UploadJob, VideoFile.
#   1.0 line:  the migration set an lx-annotate install runs with its pin endoreg-db==1.0.6.3: lx-annotate's settings
#              (settings_base.py) set MIGRATION_MODULES["endoreg_db"] = "lx_annotate.migration_overrides.endoreg_db",
#              so the history is lx-annotate's lx_annotate/migration_overrides/endoreg_db/*.py (listed in V10_MIGRATIONS
#              below; 0002, 0003, 0006, 0007 and 0012 there proxy endoreg-db's own files of the same name). What each adds
#              to the five tables:
#                0001_squashed_0001_initial (replaces 0001_initial): CreateModel Center (name, display_name),
#                  SensitiveMeta, RawPdfFile (processed_file, no anonymized/anonymized_file), UploadJob (the 0.7 columns),
#                  VideoFile; AddField VideoFile video_meta, state
#                0002_export_flags: VideoFile export_segments_by_video
#                0004_videofile_uuid, 0005_rawpdffile_uuid: uuid (unique) on VideoFile and RawPdfFile
#                0010_remove_requirementset_reqset_exam_links_and_more: Center center_key (unique); UploadJob created_by,
#                  idempotency_key (db_index), ingest_mode, original_filename, processing_provenance, source_center,
#                  source_system (0011_hub_ingest_metadata is an empty bridge node there)
#                0014_sensitivemeta_tags_sensitivemeta_validation_comment_and_more: SensitiveMeta validation_comment (and
#                  the tags many-to-many table, left out); UploadJob cleanup_status, retention_policy,
#                  source_file_delete_eligible_at, source_file_persisted, storage_class, storage_tier
#                0015_uploadjob_content_hash_and_more: UploadJob content_hash (db_index); VideoFile
#                  processed_streamable_relative_path, storage_mode, streamable_relative_path
#                0016_rename_streamable_relative_path_videofile_raw_streamable_relative_path_and_more: the rename to
#                  raw_streamable_relative_path; UploadJob uniq_uploadjob_content_hash_active and
#                  uniq_uploadjob_idempotency_scope_active (partial unique)
#                0018_alter_rawpdffile_file_and_more: storage backends only (no column change)
#                0021_anonymizationfieldmetric_and_more: upload_job_status_time_idx, upload_job_center_time_idx,
#                  upload_job_source_time_idx, raw_pdf_date_created_idx, raw_pdf_center_time_idx,
#                  video_file_uploaded_at_idx, video_file_center_time_idx
#                0022_anonymizationvalidationmetric_missing_sensitive_meta_deletion_count_and_more: SensitiveMeta
#                  direct_identifier_policy, direct_identifier_tombstone, direct_identifiers_cleared_at
#                0024_alter_videofile_processed_file: VideoFile processed_file max_length 500
#              The other migrations of the set touch none of the five tables.
# Checked with scripts/verify-python-fixture-schema.sh against the schema the original's own migrations create:
#   0.7 (Django 5.2.18): the columns of the five tables are identical (name, type, length, NULL-ness, default,
#     identity), and so are their keys, apart from the foreign keys to tables left out here.
#   1.0 (Django 3.2.25, lx-annotate's set with endoreg-db's proxied files as indexed for wg-lux/endoreg-db and stand-ins
#     for three modules): columns identical (name, type, length, NULL-ness, order), every index and unique constraint
#     identical by name and definition, the foreign keys between the five tables identical by name, and the
#     django_migrations history identical; the differences are the foreign keys to tables left out here, serial ids
#     (Django < 4.1; Django 6, which wrote the migrations, makes identity columns, as here) and the printed form of the
#     two partial unique indexes' predicates after pg_dump.
# Names of the 1.0 indexes and constraints are Django's (ix in python-fixture-ddl.sh).
# Django types: BigAutoField -> bigint identity, CharField(n) -> varchar(n), FileField -> varchar(100) (or max_length),
# DateTimeField -> timestamptz, JSONField -> jsonb, UUIDField -> uuid, ForeignKey -> <name>_id (bigint; integer for
# auth_user), db_index / unique on a CharField -> also a varchar_pattern_ops "_like" index. Foreign keys to tables the
# import does not read (gender, patient, examiner, ...) keep their column and index, without the constraint, since
# those tables are not in the fixture. Django sets no column defaults in the database.
set -euo pipefail

# lx-annotate's endoreg_db migration set after its squashed initial migration (see the header).
V10_MIGRATIONS=(0002_export_flags 0003_patientexaminationreport_report_and_more 0004_videofile_uuid 0005_rawpdffile_uuid
  0006_applicationsettings 0007_pdfprocessinghistory 0008_imageclassificationannotation_upsert_fields
  0009_patientexamination_draft_updated_at_and_more 0010_remove_requirementset_reqset_exam_links_and_more
  0011_hub_ingest_metadata 0012_networknode_transferjob 0013_remove_legacy_requirement_models
  0014_sensitivemeta_tags_sensitivemeta_validation_comment_and_more 0015_uploadjob_content_hash_and_more
  0016_rename_streamable_relative_path_videofile_raw_streamable_relative_path_and_more 0017_auditledger_ledgerhead_and_more
  0018_alter_rawpdffile_file_and_more 0019_videostate_outside_segments_removed_and_more
  0020_alter_videoprocessinghistory_operation_and_more 0021_anonymizationfieldmetric_and_more
  0022_anonymizationvalidationmetric_missing_sensitive_meta_deletion_count_and_more 0023_reportllminferencejob_and_more
  0024_alter_videofile_processed_file 0025_rename_datetime_patientlabvalue_timestamp_and_more
  0026_quarantineitem_videohlsartifact 0027_rawpdfstate_processed_file_sha256)

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/tests/fixtures/python-db"
admin="${LXA_TEST_POSTGRES:?set LXA_TEST_POSTGRES to the admin connection string of a test cluster}"
host="$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$admin")"
port="$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$admin")"
user="$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$admin")"
export PGHOST="$host" PGPORT="$port" PGUSER="$user"
salt="fixture-salt-7f3a"

rm -rf "$out"
mkdir -p "$out/storage"

sha() { sha256sum "$1" | cut -d' ' -f1; }
hex_sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
# The original's hash: sha256 hex of sha256 hex of first+last+dob+center+dob+exam_date+endoscope_sn+salt.
person_hash() { hex_sha "$(hex_sha "$1$2$3$4$3$5$salt")"; }

# A deterministic file of $2 bytes at storage path $1 (content from a seed so reruns give the same bytes).
make_file() {
  mkdir -p "$out/storage/$(dirname "$1")"
  python3 -c 'import hashlib,sys; n=int(sys.argv[2]); s=sys.argv[1].encode(); b=b"".join(hashlib.sha256(s+i.to_bytes(4,"big")).digest() for i in range(n//32+1)); sys.stdout.buffer.write(b[:n])' "$1" "$2" >"$out/storage/$1"
}

# shellcheck source=scripts/python-fixture-ddl.sh
. "$(dirname "$0")/python-fixture-ddl.sh"

q() { local v="$1"; [ -z "$v" ] && { echo NULL; return; }; qs "$v"; }
qs() { printf "'%s'\n" "$(printf %s "$1" | sed "s/'/''/g")"; }

rows_v10() {
  local c1="Universitätsklinikum Würzburg" c2="gastro_praxis_nord"
  # The history Django records for a fresh install of lx-annotate's migration set: each migration once; the squashed
  # initial migration records itself and the 0001_initial it replaces.
  local n=0 m
  for m in contenttypes:0001_initial contenttypes:0002_remove_content_type_name auth:0001_initial auth:0002_alter_permission_name_max_length \
    auth:0003_alter_user_email_max_length auth:0004_alter_user_username_opts auth:0005_alter_user_last_login_null auth:0006_require_contenttypes_0002 \
    auth:0007_alter_validators_add_error_messages auth:0008_alter_user_username_max_length auth:0009_alter_user_last_name_max_length \
    auth:0010_alter_group_name_max_length auth:0011_update_proxy_permissions auth:0012_alter_user_first_name_max_length \
    endoreg_db:0001_initial endoreg_db:0001_squashed_0001_initial $(printf 'endoreg_db:%s ' "${V10_MIGRATIONS[@]}"); do
    echo "INSERT INTO django_migrations (app, name, applied) VALUES ('${m%%:*}', '${m#*:}', timestamptz '2026-04-20T08:00:00Z' + interval '$n seconds');"
    n=$((n + 1))
  done
  # center_key as the original's migration fills it: slugify(display_name or name).
  echo "INSERT INTO endoreg_db_center (id, name, display_name, center_key) VALUES (1, $(q "$c1"), 'UKW', 'ukw'), (2, $(q "$c2"), '', 'gastro_praxis_nord');"
  # Sensitive meta: (id, first, last, dob, exam date, time, center id, center name, endoscope sn)
  local metas=("1|Anna|Müller|1961-04-12|2026-01-15|09:30:00|1|$c1|SN-100" "2|Jonas|Schmidt|1977-11-02|2026-01-16|10:05:00|2|$c2|" "3|Lea|Weber|1990-01-30|2026-01-17||1|$c1|SN-7")
  for m in "${metas[@]}"; do
    IFS='|' read -r id first last dob exam time cid cname sn <<<"$m"
    echo "INSERT INTO endoreg_db_sensitivemeta (id, examination_date, examination_time, patient_first_name, patient_last_name, patient_dob, patient_hash, examination_hash, endoscope_type, endoscope_sn, text, center_id, validation_comment, direct_identifier_policy, direct_identifier_tombstone) VALUES ($id, '$exam', $(q "$time"), $(q "$first"), $(q "$last"), '${dob}T00:00:00Z', '$(person_hash "$first" "$last" "$dob" "$cname" "")', '$(person_hash "$first" "$last" "$dob" "$cname" "$exam")', 'CF-H190', $(q "$sn"), 'report text of $id', $cid, '', '', '{}');"
  done
  # Jobs: (uuid, file, status, type, center, meta, idem key, tier, size, error_detail)
  local jobs=(
    "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0001|uploads/upload_api/0c8a2d8e/report-anna.pdf|anonymized|application/pdf|1|1|idem-1|upload_api|4096|"
    "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0002|uploads/upload_watcher/0c8a2d8e/colo-jonas.mp4|anonymized|video/mp4|2|2||upload_watcher|60000|"
    "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0003|uploads/upload_api/0c8a2d8e/report-lea.pdf|pending|application/pdf|1|3|idem-3|upload_api|2048|"
    "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0004|uploads/upload_api/0c8a2d8e/broken.pdf|error|application/pdf|1||idem-4|upload_api|512|OCR failed: no text layer"
    "0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a0005|uploads/upload_api/0c8a2d8e/sealed.pdf|processing|application/pdf|2||idem-5|upload_api|3000|"
  )
  for i in $(seq 6 14); do jobs+=("0c8a2d8e-5f6b-4c1e-9a51-1f0f5d2a00$(printf %02d "$i")|uploads/upload_api/0c8a2d8e/export-$i.txt|pending|text/plain|$(( i % 2 + 1 ))||idem-$i|upload_api|$(( 700 + i * 13 ))|"); done
  for j in "${jobs[@]}"; do
    IFS='|' read -r id file status type cid meta idem tier size err <<<"$j"
    make_file "$file" "$size"
    local hash; hash="$(sha "$out/storage/$file")"
    local entry="upload_api"; [ "$tier" = upload_watcher ] && entry="watcher"
    local mode="api"; [ "$tier" = upload_watcher ] && mode="watcher"
    # One job with a storage class other than ingest (a value of the original's choices), so the import is seen to
    # take the column as it is.
    local class="ingest"; [ "$status" = error ] && class="quarantine"
    echo "INSERT INTO endoreg_db_uploadjob (id, file, status, content_type, error_detail, created_at, updated_at, sensitive_meta_id, source_center_id, source_system, content_hash, idempotency_key, ingest_mode, original_filename, processing_provenance, storage_class, storage_tier, retention_policy, source_file_persisted, cleanup_status) VALUES ('$id', '$file', '$status', '$type', $(qs "$err"), '2026-01-20T10:00:00Z', '2026-01-20T10:05:00Z', ${meta:-NULL}, $cid, 'api', '$hash', $(qs "$idem"), '$mode', '$(basename "$file")', '{\"entrypoint\": \"$entry\", \"content_hash\": \"$hash\"}', '$class', '$tier', 'preserve_source', true, 'pending');"
  done
  # The PDF of job 1 with its anonymized output; the video of job 2 with its masked output.
  make_file "pdfs/anonymized/report-anna.pdf" 3500
  echo "INSERT INTO endoreg_db_rawpdffile (id, pdf_hash, text, date_created, date_modified, file, processed_file, state_report_processing_required, state_report_processed, anonymized_text, center_id, sensitive_meta_id, uuid) VALUES (1, '$(sha "$out/storage/uploads/upload_api/0c8a2d8e/report-anna.pdf")', 'Anna Müller 12.04.1961', now(), now(), 'uploads/upload_api/0c8a2d8e/report-anna.pdf', 'pdfs/anonymized/report-anna.pdf', false, true, 'XXXX XXXXX 1961', 1, 1, '6d1b7c2a-0000-4000-8000-0000000000a1');"
  make_file "videos/processed/colo-jonas.mp4" 50000
  echo "INSERT INTO endoreg_db_videofile (id, uuid, raw_file, processed_file, video_hash, processed_video_hash, original_file_name, uploaded_at, frame_dir, sequences, date_created, date_modified, center_id, sensitive_meta_id, export_segments_by_video, processed_streamable_relative_path, storage_mode, raw_streamable_relative_path) VALUES (1, '6d1b7c2a-0000-4000-8000-000000000001', 'uploads/upload_watcher/0c8a2d8e/colo-jonas.mp4', 'videos/processed/colo-jonas.mp4', '$(sha "$out/storage/uploads/upload_watcher/0c8a2d8e/colo-jonas.mp4")', '$(sha "$out/storage/videos/processed/colo-jonas.mp4")', 'colo-jonas.mp4', now(), '', '{}', now(), now(), 2, 2, false, '', 'app_encrypted', '');"
}

rows_v07() {
  local c1="Klinikum Süd"
  echo "INSERT INTO django_migrations (app, name, applied) VALUES ('contenttypes','0001_initial','2025-09-20T08:00:00Z'),('auth','0001_initial','2025-09-20T08:00:01Z'),('endoreg_db','0001_initial','2025-09-20T08:00:02Z');"
  echo "INSERT INTO endoreg_db_center (id, name) VALUES (1, $(q "$c1")), (2, 'leer');"
  echo "INSERT INTO endoreg_db_sensitivemeta (id, examination_date, patient_first_name, patient_last_name, patient_dob, patient_hash, examination_hash, endoscope_type, endoscope_sn, center_id) VALUES (1, '2025-08-01', 'Paul', 'Fischer', '1955-06-07T00:00:00Z', '$(person_hash Paul Fischer 1955-06-07 "$c1" "")', '$(person_hash Paul Fischer 1955-06-07 "$c1" 2025-08-01)', 'GIF-H190', NULL, 1), (2, '2025-08-02', 'Mia', 'Wagner', '1988-03-03T00:00:00Z', NULL, NULL, NULL, NULL, NULL);"
  make_file "uploads/2025/08/01/report-paul.pdf" 1500
  make_file "uploads/2025/08/02/colo-mia.mp4" 40000
  make_file "uploads/2025/08/03/orphan.pdf" 900
  echo "INSERT INTO endoreg_db_uploadjob (id, file, status, content_type, error_detail, created_at, updated_at, sensitive_meta_id) VALUES
    ('7a000000-0000-4000-8000-000000000001', 'uploads/2025/08/01/report-paul.pdf', 'anonymized', 'application/pdf', '', '2025-08-01T09:00:00Z', '2025-08-01T09:01:00Z', 1),
    ('7a000000-0000-4000-8000-000000000002', 'uploads/2025/08/02/colo-mia.mp4', 'pending', '', '', '2025-08-02T09:00:00Z', '2025-08-02T09:00:00Z', 2),
    ('7a000000-0000-4000-8000-000000000003', 'uploads/2025/08/03/orphan.pdf', 'pending', 'application/pdf', '', '2025-08-03T09:00:00Z', '2025-08-03T09:00:00Z', NULL);"
  # Job 2's center comes from its video file (its sensitive meta names none); job 3 has no way to a center.
  echo "INSERT INTO endoreg_db_videofile (id, uuid, raw_file, processed_file, video_hash, original_file_name, uploaded_at, frame_dir, sequences, date_created, date_modified, center_id, sensitive_meta_id) VALUES (1, '7b000000-0000-4000-8000-000000000001', 'uploads/2025/08/02/colo-mia.mp4', NULL, '$(sha "$out/storage/uploads/2025/08/02/colo-mia.mp4")', 'colo-mia.mp4', now(), '', '{}', now(), now(), 1, 2);"
  # A report and a video the original's watcher brought in without an upload job: they become jobs of their own.
  make_file "pdfs/watched-report.pdf" 1200
  make_file "pdfs/anonymized/watched-report.pdf" 1100
  echo "INSERT INTO endoreg_db_sensitivemeta (id, examination_date, patient_first_name, patient_last_name, patient_dob, patient_hash, examination_hash, center_id) VALUES (3, '2025-08-04', 'Jan', 'Koch', '1970-12-24T00:00:00Z', '$(person_hash Jan Koch 1970-12-24 "$c1" "")', '$(person_hash Jan Koch 1970-12-24 "$c1" 2025-08-04)', 1);"
  echo "INSERT INTO endoreg_db_rawpdffile (id, pdf_hash, text, date_created, date_modified, anonymized, file, anonymized_file, state_report_processing_required, state_report_processed, anonymized_text, center_id, sensitive_meta_id) VALUES (1, '$(sha "$out/storage/pdfs/watched-report.pdf")', 'Jan Koch 24.12.1970', '2025-08-04T09:00:00Z', '2025-08-04T09:00:00Z', true, 'pdfs/watched-report.pdf', 'pdfs/anonymized/watched-report.pdf', false, true, 'XXX XXXX 1970', 1, 3);"
  make_file "videos/watched.mp4" 30000
  echo "INSERT INTO endoreg_db_videofile (id, uuid, raw_file, processed_file, video_hash, original_file_name, uploaded_at, frame_dir, sequences, date_created, date_modified, center_id, sensitive_meta_id) VALUES (2, '7b000000-0000-4000-8000-000000000002', 'videos/watched.mp4', NULL, '$(sha "$out/storage/videos/watched.mp4")', 'watched.mp4', '2025-08-05T09:00:00Z', '', '{}', now(), now(), 1, NULL);"
}

build() { # $1 = line (v1_0 | v0_7)
  local db="lxa_fixture_$1_$$"
  psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
  trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS '"$db"'" >/dev/null' RETURN
  { echo "BEGIN;"; "ddl_${1/_/}"; "rows_${1/_/}"; echo "COMMIT;"; } | psql -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
  pg_dump --no-owner --no-privileges --inserts -d "$db" | grep -v '^-- Dumped\|^SET default_table_access_method\|^\\restrict\|^\\unrestrict' >"$out/$1.sql"
}

build v1_0
build v0_7
echo "salt=$salt" >"$out/fixture.env"
echo "wrote $out"
