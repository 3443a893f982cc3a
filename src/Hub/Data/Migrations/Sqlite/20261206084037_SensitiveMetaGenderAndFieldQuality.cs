using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SensitiveMetaGenderAndFieldQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "field_quality",
                table: "sensitive_meta",
                type: "TEXT",
                maxLength: 4096,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gender",
                table: "sensitive_meta",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "is_verified",
                table: "sensitive_meta",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "field_quality",
                table: "sensitive_meta");

            migrationBuilder.DropColumn(
                name: "gender",
                table: "sensitive_meta");

            migrationBuilder.DropColumn(
                name: "is_verified",
                table: "sensitive_meta");
        }
    }
}
