namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The console's own log lines; changes are logged by the operator services on the audit category.</summary>
internal static partial class ConsoleLog
{
    public const string Category = "LxAnnotate.Hub.OperatorConsole";

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Console sign-in of {Operator} (operator role: {HasRole}, hub-wide: {HubWide})")]
    public static partial void SignedIn(ILogger logger, string @operator, bool hasRole, bool hubWide);

    // The provider's error text is not logged: it can echo request parameters.
    [LoggerMessage(EventId = 3502, Level = LogLevel.Warning, Message = "Console sign-in failed at the provider or on the way back ({Failure}); sent to the signed-out page")]
    public static partial void SignInFailed(ILogger logger, string failure);
}
