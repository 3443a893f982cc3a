using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EncryptedProcessingArtifacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "values_path",
                table: "sensitive_meta",
                type: "TEXT",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "processed_artifact",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    upload_job_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    storage_class = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    relative_path = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_artifact", x => x.id);
                    table.ForeignKey(
                        name: "fk_processed_artifact_upload_jobs_upload_job_id",
                        column: x => x.upload_job_id,
                        principalTable: "upload_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_processed_artifact_upload_job_id_kind",
                table: "processed_artifact",
                columns: new[] { "upload_job_id", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processed_artifact");

            migrationBuilder.DropColumn(
                name: "values_path",
                table: "sensitive_meta");
        }
    }
}
