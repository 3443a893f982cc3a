namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>A person's name as read; either part may be unknown.</summary>
internal sealed record PersonName(string? FirstName, string? LastName);
