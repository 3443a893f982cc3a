using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "centers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    center_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    display_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_centers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "network_nodes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    node_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    display_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    owning_center_id = table.Column<long>(type: "bigint", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_network_nodes", x => x.id);
                    table.ForeignKey(
                        name: "fk_network_nodes_centers_owning_center_id",
                        column: x => x.owning_center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "upload_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    error_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    error_detail = table.Column<string>(type: "text", nullable: true),
                    source_center_id = table.Column<long>(type: "bigint", nullable: false),
                    source_system = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ingest_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    content_type = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    original_filename = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    storage_path = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    storage_class = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    storage_tier = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    retention_policy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    processing_provenance = table.Column<string>(type: "jsonb", nullable: false),
                    retry_count = table.Column<int>(type: "integer", nullable: false),
                    max_retries = table.Column<int>(type: "integer", nullable: false),
                    next_retry_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    processing_lease_owner = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    processing_lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_upload_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_upload_jobs_centers_source_center_id",
                        column: x => x.source_center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "network_node_certificates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    node_id = table.Column<long>(type: "bigint", nullable: false),
                    thumbprint_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    serial_number = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    subject = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    not_before = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    not_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revocation_reason = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_network_node_certificates", x => x.id);
                    table.ForeignKey(
                        name: "fk_network_node_certificates_network_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "network_nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_centers_center_key",
                table: "centers",
                column: "center_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_network_node_certificates_node_id",
                table: "network_node_certificates",
                column: "node_id");

            migrationBuilder.CreateIndex(
                name: "ix_network_node_certificates_thumbprint_sha256",
                table: "network_node_certificates",
                column: "thumbprint_sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_network_nodes_node_key",
                table: "network_nodes",
                column: "node_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_network_nodes_owning_center_id",
                table: "network_nodes",
                column: "owning_center_id");

            migrationBuilder.CreateIndex(
                name: "ix_upload_jobs_status_next_retry",
                table: "upload_jobs",
                columns: new[] { "status", "next_retry_at" });

            migrationBuilder.CreateIndex(
                name: "ux_upload_jobs_active_content",
                table: "upload_jobs",
                columns: new[] { "source_center_id", "content_type", "content_hash" },
                unique: true,
                filter: "status NOT IN ('error', 'lost')");

            migrationBuilder.CreateIndex(
                name: "ux_upload_jobs_active_idempotency",
                table: "upload_jobs",
                columns: new[] { "source_center_id", "source_system", "ingest_mode", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL AND status NOT IN ('error', 'lost')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "network_node_certificates");

            migrationBuilder.DropTable(
                name: "upload_jobs");

            migrationBuilder.DropTable(
                name: "network_nodes");

            migrationBuilder.DropTable(
                name: "centers");
        }
    }
}
