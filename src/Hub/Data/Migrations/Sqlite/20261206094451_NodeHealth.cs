using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LxAnnotate.Hub.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class NodeHealth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "network_node_health",
                columns: table => new
                {
                    node_id = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: false),
                    clock_offset_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    outbox_queued = table.Column<long>(type: "INTEGER", nullable: false),
                    outbox_offered = table.Column<long>(type: "INTEGER", nullable: false),
                    outbox_uploading = table.Column<long>(type: "INTEGER", nullable: false),
                    outbox_done = table.Column<long>(type: "INTEGER", nullable: false),
                    outbox_failed = table.Column<long>(type: "INTEGER", nullable: false),
                    oldest_pending_age_seconds = table.Column<long>(type: "INTEGER", nullable: false),
                    last_error_class = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    quarantine_count = table.Column<long>(type: "INTEGER", nullable: false),
                    node_version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    certificate_thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_network_node_health", x => x.node_id);
                    table.ForeignKey(
                        name: "fk_network_node_health_network_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "network_nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "network_node_health");
        }
    }
}
