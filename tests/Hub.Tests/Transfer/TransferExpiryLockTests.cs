using System.Security.Cryptography;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Transfer;
using LxAnnotate.Hub.Transfer.Sessions;
using LxAnnotate.Hub.Transfer.Upload;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Transfer;

/// <summary>The expiry sweep against the transfer's lock, and its expiry in minutes.</summary>
public sealed class TransferExpiryLockTests
{
    private static readonly CallerIdentity Node = CallerIdentity.ForNode("node-a", "center-a", "AA");

    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ExpireAbandonedAsync_TransferLockHeld_SkippedThenExpiredExactlyOnce(TestDatabaseKind kind)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await IngestHarness.CreateAsync(kind, time: clock, transferOptions: new TransferOptions { ExpireAfter = TimeSpan.FromMinutes(1) });
        await harness.AddCenterAsync("center-a");
        var content = RandomNumberGenerator.GetBytes(4096);
        var offer = await WithAsync<TransferSessions, OfferOutcome>(harness, r => r.OfferAsync(OfferFor(content), Node, CancellationToken.None));
        var transferId = offer.TransferId!.Value;
        clock.Advance(TimeSpan.FromMinutes(2));

        // A stream of another replica (or this one) holds the transfer: its bytes must not be discarded under it.
        await using (var scope = harness.Services.CreateAsyncScope())
        {
            await using var held = await scope.ServiceProvider.GetRequiredService<TransferLock>().AcquireAsync(transferId, CancellationToken.None);
            Assert.Equal(0, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
            Assert.Equal(TransferState.Open, (await harness.WithDbAsync(db => db.Transfers.SingleAsync())).State);
        }

        Assert.Equal(1, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
        Assert.Equal(0, await WithAsync<AbandonedTransfers, int>(harness, r => r.ExpireAbandonedAsync(CancellationToken.None)));
        Assert.Equal(TransferState.Expired, (await harness.WithDbAsync(db => db.Transfers.SingleAsync())).State);
        Assert.Single(harness.Logs.Lines, l => l.EventId == 3006 && l.Message.Contains(transferId.ToString(), StringComparison.Ordinal));
    }

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

    private static TransferOffer OfferFor(byte[] content) => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        SizeBytes = content.Length,
        ContentType = "video/mp4",
        SourceSystem = "endoscopy",
    };

    private static async Task<T> WithAsync<TService, T>(IngestHarness harness, Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = harness.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
