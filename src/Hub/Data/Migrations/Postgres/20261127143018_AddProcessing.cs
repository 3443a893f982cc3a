using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AddProcessing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "media_info",
                table: "upload_jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "processed_at",
                table: "upload_jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "processed_video_hash",
                table: "upload_jobs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "processing_lease_token",
                table: "upload_jobs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "endoscopy_processors",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    image_width = table.Column<int>(type: "integer", nullable: false),
                    image_height = table.Column<int>(type: "integer", nullable: false),
                    rois = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_endoscopy_processors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sensitive_meta",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    upload_job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    center_id = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    first_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    last_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    examination_date = table.Column<DateOnly>(type: "date", nullable: true),
                    examination_time = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    endoscope_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    endoscope_sn = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    patient_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    examination_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sensitive_meta", x => x.id);
                    table.ForeignKey(
                        name: "fk_sensitive_meta_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_sensitive_meta_upload_jobs_upload_job_id",
                        column: x => x.upload_job_id,
                        principalTable: "upload_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "center_processors",
                columns: table => new
                {
                    center_id = table.Column<long>(type: "bigint", nullable: false),
                    processor_id = table.Column<long>(type: "bigint", nullable: false),
                    is_default = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_center_processors", x => new { x.center_id, x.processor_id });
                    table.ForeignKey(
                        name: "fk_center_processors_centers_center_id",
                        column: x => x.center_id,
                        principalTable: "centers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_center_processors_endoscopy_processors_processor_id",
                        column: x => x.processor_id,
                        principalTable: "endoscopy_processors",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "endoscopy_processors",
                columns: new[] { "id", "created_at", "image_height", "image_width", "name", "rois" },
                values: new object[] { 1L, new DateTimeOffset(new DateTime(2026, 11, 27, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), 1080, 1920, "olympus_cv_1500", "{\"endoscope_image\":{\"x\":550,\"y\":0,\"width\":1350,\"height\":1080},\"examination_date\":{\"x\":0,\"y\":0,\"width\":390,\"height\":40},\"examination_time\":{\"x\":240,\"y\":7,\"width\":115,\"height\":35},\"patient_first_name\":{\"x\":80,\"y\":110,\"width\":440,\"height\":33},\"patient_last_name\":{\"x\":70,\"y\":83,\"width\":450,\"height\":27},\"patient_dob\":{\"x\":70,\"y\":180,\"width\":160,\"height\":50},\"endoscope_type\":{\"x\":70,\"y\":630,\"width\":280,\"height\":35},\"endoscope_sn\":{\"x\":70,\"y\":670,\"width\":280,\"height\":35}}" });

            // The seeded row has an explicit id; move the identity past it so the next profile gets id 2.
            migrationBuilder.Sql("SELECT setval(pg_get_serial_sequence('endoscopy_processors', 'id'), (SELECT MAX(id) FROM endoscopy_processors));");

            migrationBuilder.CreateIndex(
                name: "ix_center_processors_processor_id",
                table: "center_processors",
                column: "processor_id");

            migrationBuilder.CreateIndex(
                name: "ux_center_processors_default",
                table: "center_processors",
                column: "center_id",
                unique: true,
                filter: "is_default");

            migrationBuilder.CreateIndex(
                name: "ix_endoscopy_processors_name",
                table: "endoscopy_processors",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sensitive_meta_center_id",
                table: "sensitive_meta",
                column: "center_id");

            migrationBuilder.CreateIndex(
                name: "ix_sensitive_meta_patient_hash",
                table: "sensitive_meta",
                column: "patient_hash");

            migrationBuilder.CreateIndex(
                name: "ix_sensitive_meta_upload_job_id",
                table: "sensitive_meta",
                column: "upload_job_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "center_processors");

            migrationBuilder.DropTable(
                name: "sensitive_meta");

            migrationBuilder.DropTable(
                name: "endoscopy_processors");

            migrationBuilder.DropColumn(
                name: "media_info",
                table: "upload_jobs");

            migrationBuilder.DropColumn(
                name: "processed_at",
                table: "upload_jobs");

            migrationBuilder.DropColumn(
                name: "processed_video_hash",
                table: "upload_jobs");

            migrationBuilder.DropColumn(
                name: "processing_lease_token",
                table: "upload_jobs");
        }
    }
}
