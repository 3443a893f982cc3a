namespace LxAnnotate.Hub.Operators.Nodes;

/// <summary>Result of activate/deactivate; <see cref="Changed"/> is false when the node already was in that state.</summary>
internal sealed record NodeActivation(NodeView Node, bool Changed);
