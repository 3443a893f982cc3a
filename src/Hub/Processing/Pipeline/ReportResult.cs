namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>What the report stage produced.</summary>
/// <param name="Values">The metadata read from the report, or null when it names no patient.</param>
/// <param name="Artifacts">Report text, anonymized text and anonymized PDF as stored.</param>
internal sealed record ReportResult(SensitiveValues? Values, IReadOnlyList<ProducedArtifact> Artifacts);
