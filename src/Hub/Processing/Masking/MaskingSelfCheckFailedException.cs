using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// The masked video still shows overlay values: OCR of its sensitive regions read one of the values
/// extracted from the original. Nothing may be released; the worker maps this to <c>media_integrity_failed</c>.
/// The message names the fields, never their values.
/// </summary>
internal sealed class MaskingSelfCheckFailedException(string message) : MediaIntegrityException(message);
