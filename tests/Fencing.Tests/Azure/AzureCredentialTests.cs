using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Tests.TestSupport;

namespace ClusterD.Fencing.Tests.Azure;

/// <summary>Service principal credentials: the file rules, and a secret from a file used against the stub's token endpoint.</summary>
public sealed class AzureCredentialTests : IAsyncLifetime
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempDirectory _dir = new("clusterd-azure-");
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _stub.AddVm("hadb01");
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    private string SecretFile(string secret, UnixFileMode mode)
    {
        var path = _dir.Combine("secret-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, secret + "\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    private Dictionary<string, string> ServicePrincipal(string file)
    {
        var p = _stub.Parameters();
        p["username"] = ArmStub.ClientId;
        p["tenantId"] = ArmStub.Tenant;
        p["password_file"] = file;
        return p;
    }

    private Task<FenceResult> StatusAsync(Dictionary<string, string> parameters) =>
        new AzureArmFenceAgent(TimeProvider.System).RunAsync(new FenceRequest(FenceAction.Status, "hadb01", parameters, TimeSpan.FromSeconds(30)), Ct);

    [Fact]
    public async Task SecretFile_ReadableByGroup_IsRefusedBeforeAnyCall()
    {
        var file = SecretFile(_stub.ClientSecret, Private | UnixFileMode.GroupRead);

        var result = await StatusAsync(ServicePrincipal(file));

        Assert.False(result.Succeeded);
        Assert.Equal($"password_file {file} has mode 0640; it holds a secret and must be 0600 (chmod 600 {file})", result.Reason);
        Assert.Empty(_stub.Calls);
    }

    [Fact]
    public async Task SecretFile_ASymbolicLink_IsRefused()
    {
        var target = SecretFile(_stub.ClientSecret, Private);
        var link = _dir.Combine("link");
        File.CreateSymbolicLink(link, target);

        var result = await StatusAsync(ServicePrincipal(link));

        Assert.Equal($"password_file {link} is a symbolic link, not a regular file; name the file itself", result.Reason);
        Assert.Empty(_stub.Calls);
    }

    [Fact]
    public async Task SecretFile_ADirectory_IsRefused()
    {
        var result = await StatusAsync(ServicePrincipal(_dir.Path));

        Assert.Equal($"password_file {_dir.Path} is a directory, not a regular file; name the file itself", result.Reason);
    }

    [Fact]
    public void SecretFile_LargerThanTheBound_IsRefused()
    {
        var file = SecretFile(new string('x', AzureCredentialFile.MaxBytes + 1), Private);

        var e = Assert.Throws<AzureCredentialException>(() => AzureCredentialFile.ReadText(file, "password_file"));

        Assert.StartsWith($"password_file {file} is larger than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFile_Private_GetsATokenFromTheAuthorityAndPowersOff()
    {
        var file = SecretFile(_stub.ClientSecret, Private);

        var result = await new AzureArmFenceAgent(TimeProvider.System)
            .RunAsync(new FenceRequest(FenceAction.Off, "hadb01", ServicePrincipal(file), TimeSpan.FromSeconds(30)), Ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(200, Assert.Single(_stub.CallsOf("aadToken")).Status);
        Assert.All(_stub.Calls.Where(c => c.Vm is not null), c => Assert.True(c.Authorized));
        Assert.Empty(_stub.CallsOf("token"));
    }

    [Fact]
    public async Task SecretFile_WrongSecret_FailsNamingThePrincipal()
    {
        var file = SecretFile("not-the-secret", Private);

        var result = await StatusAsync(ServicePrincipal(file));

        Assert.False(result.Succeeded);
        Assert.StartsWith($"no token for service principal {ArmStub.ClientId} (secret from {file}): ", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_stub.Calls, c => c.Vm is not null);
    }

    [Fact]
    public async Task CertificateFile_Private_SignsAnAssertionForTheToken()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=clusterd-fence", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var file = SecretFile(certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem(), Private);
        var parameters = ServicePrincipal(file);
        parameters.Remove("password_file");
        parameters["certificate_file"] = file;

        var result = await StatusAsync(parameters);

        Assert.True(result.Succeeded, result.Output);
        Assert.Contains($"service principal {ArmStub.ClientId} (certificate {file})", result.Output, StringComparison.Ordinal);
        Assert.Equal(200, Assert.Single(_stub.CallsOf("aadToken")).Status);
    }

    [Fact]
    public async Task Stack_ReadsLoginAndAudienceFromItsMetadataEndpoint()
    {
        var parameters = _stub.Parameters();
        parameters.Remove("arm_endpoint");
        parameters.Remove("login_endpoint");
        parameters["cloud"] = "stack";
        parameters["metadata_endpoint"] = _stub.BaseAddress.ToString();

        var result = await StatusAsync(parameters);

        Assert.True(result.Succeeded, result.Output);
        var endpoints = Assert.Single(_stub.CallsOf("stackEndpoints"));
        Assert.Equal("2015-01-01", endpoints.ApiVersion);
        Assert.Equal(ArmStub.StackAudience.TrimEnd('/'), Assert.Single(_stub.CallsOf("token")).Query["resource"]);
        Assert.True(Assert.Single(_stub.CallsOf("instanceView")).Authorized);
    }

    [Fact]
    public async Task ManagedIdentity_WithoutIdentityEndpoint_AsksTheInstanceMetadataEndpoint()
    {
        // usgov: a token audience no other test asks for, so Azure.Identity's process-wide cache has none.
        var parameters = _stub.Parameters();
        parameters.Remove("identity_endpoint");
        parameters["cloud"] = "usgov";

        var result = await StatusAsync(parameters);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("https://management.usgovcloudapi.net", Assert.Single(_stub.CallsOf("token")).Query["resource"]);
    }

    [Fact]
    public async Task Off_TokenExpiresMidFence_IsRenewedAndTheFenceCompletes()
    {
        // Tokens live 2 s; the VM takes 40 status reads (about 2 s at 0.05 s) to stop, so the first token expires on the way.
        _stub.TokenLifetime = TimeSpan.FromSeconds(2);
        _stub.TransitionReads = 40;
        var file = SecretFile(_stub.ClientSecret, Private);

        var result = await new AzureArmFenceAgent(TimeProvider.System)
            .RunAsync(new FenceRequest(FenceAction.Off, "hadb01", ServicePrincipal(file), TimeSpan.FromSeconds(30)), Ct);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("stopped", _stub.PowerState("hadb01"));
        Assert.True(_stub.CallsOf("aadToken").Count >= 2, $"{_stub.CallsOf("aadToken").Count} token request(s)");
        Assert.DoesNotContain(_stub.Calls, c => c.Status == 401);
    }
}
