using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddHubTransfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "secret_hash",
                table: "network_nodes",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "hub_transfer_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    transfer_key = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    source_node_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    target_node_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    source_center_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    resource_kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    resource_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    transfer_mode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    processing_policy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    processing_intent = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    cleanup_policy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    payload_schema_version = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    processed_media_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    canonical_payload = table.Column<string>(type: "TEXT", nullable: false),
                    resource_rows = table.Column<string>(type: "TEXT", nullable: false),
                    processing_snapshot = table.Column<string>(type: "TEXT", nullable: true),
                    provenance = table.Column<string>(type: "TEXT", nullable: true),
                    transfer_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    processing_decision = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    cleanup_status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    status_detail = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    case_resolution_status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    envelope_receipt = table.Column<string>(type: "TEXT", nullable: true),
                    envelope_fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    received_media_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    upload_job_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    media_upload_started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    applied_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hub_transfer_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_hub_transfer_jobs_upload_jobs_upload_job_id",
                        column: x => x.upload_job_id,
                        principalTable: "upload_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_hub_transfer_jobs_transfer_key",
                table: "hub_transfer_jobs",
                column: "transfer_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hub_transfer_jobs_upload_job_id",
                table: "hub_transfer_jobs",
                column: "upload_job_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hub_transfer_jobs");

            migrationBuilder.DropColumn(
                name: "secret_hash",
                table: "network_nodes");
        }
    }
}
