using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>The transfer expiry in hours or minutes.</summary>
public sealed class TransferExpiryOptionsTests
{
    [Fact]
    public void Resolve_ExpireMinutes_IsMinutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Resolve(new() { [TransferOptions.ExpireMinutesVariable] = "1" }).ExpireAfter);
        Assert.Equal(TimeSpan.FromHours(2), Resolve(new() { [TransferOptions.ExpireHoursVariable] = "2" }).ExpireAfter);
        Assert.Equal(TimeSpan.FromHours(24), Resolve([]).ExpireAfter);
    }

    [Theory]
    [InlineData("1", "1", TransferOptions.ExpireMinutesVariable)]
    [InlineData(null, "0", TransferOptions.ExpireMinutesVariable)]
    [InlineData(null, "1.5", TransferOptions.ExpireMinutesVariable)]
    public void Resolve_BadOrDoubleExpiry_RefusedNamingTheVariable(string? hours, string minutes, string variable)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() =>
            Resolve(new() { [TransferOptions.ExpireHoursVariable] = hours, [TransferOptions.ExpireMinutesVariable] = minutes }));

        Assert.Equal(variable, ex.VariableName);
    }

    private static TransferOptions Resolve(Dictionary<string, string?> values) =>
        TransferOptionsResolver.Resolve(new HubEnvironment(key => values.GetValueOrDefault(key)));
}
