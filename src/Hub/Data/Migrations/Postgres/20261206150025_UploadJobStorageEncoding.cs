using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UploadJobStorageEncoding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "storage_class",
                table: "upload_jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddColumn<string>(
                name: "storage_encoding",
                table: "upload_jobs",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            // Until now storage_class held how the file is kept (managed / encrypted); that moves to storage_encoding,
            // and storage_class (column and provenance) takes the original's value for every job the hub created: ingest.
            migrationBuilder.Sql("UPDATE upload_jobs SET storage_encoding = storage_class, storage_class = 'ingest', processing_provenance = jsonb_set(processing_provenance, '{storage_class}', '\"ingest\"')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE upload_jobs SET storage_class = storage_encoding, processing_provenance = jsonb_set(processing_provenance, '{storage_class}', to_jsonb(storage_encoding))");

            migrationBuilder.DropColumn(
                name: "storage_encoding",
                table: "upload_jobs");

            migrationBuilder.AlterColumn<string>(
                name: "storage_class",
                table: "upload_jobs",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);
        }
    }
}
