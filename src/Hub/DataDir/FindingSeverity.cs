namespace LxAnnotate.Hub.DataDir;

/// <summary>How bad a finding is; any <see cref="Critical"/> makes <c>lxa-hub check</c> exit non-zero and <c>/readyz</c> not ready.</summary>
internal enum FindingSeverity
{
    Ok,
    Warning,
    Critical,
}
