namespace LxAnnotate.Hub.DataDir;

/// <summary>One directory as JSON: <c>action</c> is <c>created</c>, <c>tightened</c>, <c>unchanged</c> or <c>refused</c>; <c>mode</c> is octal.</summary>
internal sealed record InitStepView(string Action, string Name, string Path, string Mode, string Detail);
