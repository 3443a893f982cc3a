using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UploadJobStorageEncoding : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "storage_encoding",
                table: "upload_jobs",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            // Until now storage_class held how the file is kept (managed / encrypted); that moves to storage_encoding,
            // and storage_class (column and provenance) takes the original's value for every job the hub created: ingest.
            migrationBuilder.Sql("UPDATE upload_jobs SET storage_encoding = storage_class, storage_class = 'ingest', processing_provenance = json_set(processing_provenance, '$.storage_class', 'ingest')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE upload_jobs SET storage_class = storage_encoding, processing_provenance = json_set(processing_provenance, '$.storage_class', storage_encoding)");

            migrationBuilder.DropColumn(
                name: "storage_encoding",
                table: "upload_jobs");
        }
    }
}
