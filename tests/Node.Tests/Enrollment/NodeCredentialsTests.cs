using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Node.Cli;
using LxAnnotate.Node.Enrollment;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Enrollment;

public sealed class NodeCredentialsTests
{
    [Fact]
    public void NewKeyAndRequest_NodeKey_SignedCsrNamingTheNode()
    {
        var (key, pem) = NodeCredentials.NewKeyAndRequest("site-a");
        using (key)
        {
            var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

            Assert.Equal("CN=site-a", request.SubjectName.Name);
            Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
            Assert.DoesNotContain("PRIVATE", pem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Accept_CertificateForAnotherKey_Refused()
    {
        using var pki = new TestPki();
        using var issued = pki.IssueNode("site-a");
        var (key, _) = NodeCredentials.NewKeyAndRequest("site-a");
        using (key)
        {
            var ex = Assert.Throws<InvalidDataException>(() => NodeCredentials.Accept(issued.ExportCertificatePem(), pki.Ca.ExportCertificatePem(), key, "site-a"));

            Assert.Equal("the hub returned a certificate for another key", ex.Message);
        }
    }

    [Fact]
    public void WriteAtomically_Secret_OwnerOnlyAndNoTemporaryLeft()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("node", "node.key.pem");

        NodeCredentials.WriteAtomically(path, "first", secret: true);
        NodeCredentials.WriteAtomically(path, "second", secret: true);

        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(dir.Combine("node"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Parse_EnrollWithoutToken_ReportsIt()
    {
        Assert.NotEmpty(NodeCli.Build().Parse(["enroll", "--hub", "https://hub:8443"]).Errors);
        Assert.Empty(NodeCli.Build().Parse(["enroll", "--hub", "https://hub:8443", "--token", "t", "--node-key", "site-a"]).Errors);
        Assert.Empty(NodeCli.Build().Parse(["renew"]).Errors);
    }
}
