namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>A region of interest in pixels: left <paramref name="X"/>, top <paramref name="Y"/>, width, height.</summary>
internal readonly record struct RoiRect(int X, int Y, int Width, int Height)
{
    /// <summary>Right edge (exclusive).</summary>
    public int Right => X + Width;

    /// <summary>Bottom edge (exclusive).</summary>
    public int Bottom => Y + Height;

    /// <summary>
    /// This region scaled by <paramref name="scaleX"/>/<paramref name="scaleY"/> and clipped to a
    /// <paramref name="frameWidth"/> × <paramref name="frameHeight"/> frame. Edges are rounded outwards
    /// so a scaled region never loses a pixel column of what it covered.
    /// </summary>
    public RoiRect Scale(double scaleX, double scaleY, int frameWidth, int frameHeight)
    {
        var left = Math.Clamp((int)Math.Floor(X * scaleX), 0, frameWidth);
        var top = Math.Clamp((int)Math.Floor(Y * scaleY), 0, frameHeight);
        var right = Math.Clamp((int)Math.Ceiling(Right * scaleX), left, frameWidth);
        var bottom = Math.Clamp((int)Math.Ceiling(Bottom * scaleY), top, frameHeight);
        return new RoiRect(left, top, right - left, bottom - top);
    }
}
