using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.ProtectedMedia;

/// <summary>Either way of serving media is valid; the validator exists so these options start like every other.</summary>
internal sealed class ProtectedMediaOptionsValidator : IValidateOptions<ProtectedMediaOptions>
{
    public ValidateOptionsResult Validate(string? name, ProtectedMediaOptions options) =>
        options is null ? ValidateOptionsResult.Fail("protected media options are missing") : ValidateOptionsResult.Success;
}
