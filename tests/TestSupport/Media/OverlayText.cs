namespace LxAnnotate.TestSupport.Media;

/// <summary>A line of text drawn at (<paramref name="X"/>, <paramref name="Y"/>) (top-left of the text box) in <paramref name="FontSize"/> px DejaVu Sans.</summary>
public sealed record OverlayText(string Text, int X, int Y, int FontSize);
