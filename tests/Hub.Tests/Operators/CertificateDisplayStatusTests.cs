using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;

namespace LxAnnotate.Hub.Tests.Operators;

public sealed class CertificateDisplayStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-10, 400, "active", "active")]
    [InlineData(-10, 31, "active", "active")]
    [InlineData(-10, 30, "active", "expiring")]
    [InlineData(-10, 1, "active", "expiring")]
    [InlineData(-10, 0, "active", "expired")]
    [InlineData(-400, -1, "active", "expired")]
    [InlineData(2, 400, "active", "not_yet_valid")]
    [InlineData(-10, 400, "revoked", "revoked")]
    [InlineData(-400, -1, "revoked", "revoked")]
    public void Of_CertificateAndClock_IsWhatTheOperatorSees(int notBeforeDays, int notAfterDays, string stored, string expected)
    {
        var certificate = new NodeCertificate
        {
            ThumbprintSha256 = new string('A', 64),
            SerialNumber = "01",
            Subject = "CN=site-a",
            NotBefore = Now.AddDays(notBeforeDays),
            NotAfter = Now.AddDays(notAfterDays),
            Status = WireNames.ParseCertificateStatus(stored),
        };

        Assert.Equal(expected, CertificateDisplayStatus.Of(certificate, Now));
    }
}
