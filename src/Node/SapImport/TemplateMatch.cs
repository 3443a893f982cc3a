namespace LxAnnotate.Node.SapImport;

/// <summary>Outcome of template detection for one table header: a template, or why none was taken.</summary>
internal sealed record TemplateMatch(TableTemplate? Template, string? Problem);
