using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HashLaterTransfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sha256",
                table: "transfers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.CreateIndex(
                name: "ix_upload_jobs_active_size",
                table: "upload_jobs",
                columns: new[] { "source_center_id", "size_bytes", "content_type" },
                filter: "status NOT IN ('error', 'lost')");

            migrationBuilder.CreateIndex(
                name: "ix_transfers_open_hash_later",
                table: "transfers",
                columns: new[] { "center_id", "sender_node_key", "idempotency_key", "size_bytes" },
                filter: "state = 'open' AND sha256 IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_upload_jobs_active_size",
                table: "upload_jobs");

            migrationBuilder.DropIndex(
                name: "ix_transfers_open_hash_later",
                table: "transfers");

            migrationBuilder.AlterColumn<string>(
                name: "sha256",
                table: "transfers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64,
                oldNullable: true);
        }
    }
}
