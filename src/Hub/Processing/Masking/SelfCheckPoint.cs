namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// One frame the masking self-check reads: the encode forces a keyframe at <paramref name="KeyFrame"/>, and the check
/// grabs the frame at <paramref name="Grab"/> (half a frame later, so the seek lands on that keyframe and decodes
/// one or two frames instead of up to a whole group of pictures).
/// </summary>
internal sealed record SelfCheckPoint(TimeSpan KeyFrame, TimeSpan Grab);
