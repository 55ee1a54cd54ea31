using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;

namespace ClusterD.Fencing.Tests.Azure;

public sealed class AzureFenceSettingsTests
{
    private static (AzureFenceSettings? Settings, string? Error) Read(params (string Key, string Value)[] parameters)
    {
        AzureFenceSettings.TryRead(parameters.ToDictionary(p => p.Key, p => p.Value), out var settings, out var error);
        return (settings, error);
    }

    [Fact]
    public void TryRead_Nothing_IsThePublicCloudWithTheManagedIdentity()
    {
        var (s, _) = Read();

        Assert.Equal((AzureCloud.Public, AzureIdentityKind.ManagedIdentity), (s!.Cloud, s.IdentityKind));
        Assert.Equal((TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(1)), (s.PowerTimeout, s.PollInterval));
        Assert.Equal("https://management.azure.com/.default", s.Cloud!.Scope);
    }

    [Theory]
    [InlineData("china", "https://management.chinacloudapi.cn/", "https://login.chinacloudapi.cn/")]
    [InlineData("usgov", "https://management.usgovcloudapi.net/", "https://login.microsoftonline.us/")]
    [InlineData("PUBLIC", "https://management.azure.com/", "https://login.microsoftonline.com/")]
    public void TryRead_NamedCloud_HasItsEndpoints(string cloud, string arm, string login)
    {
        var (s, _) = Read(("cloud", cloud));

        Assert.Equal((arm, login), (s!.Cloud!.ResourceManager.ToString(), s.Cloud.Login.ToString()));
    }

    [Fact]
    public void TryRead_Stack_NeedsItsMetadataEndpoint()
    {
        Assert.Equal("cloud=stack needs metadata_endpoint (the Azure Stack Hub Resource Manager address)", Read(("cloud", "stack")).Error);
        var (s, _) = Read(("cloud", "stack"), ("metadata_endpoint", "https://management.local.azurestack.external"));
        Assert.Equal((null, "https://management.local.azurestack.external/"), (s!.Cloud, s.StackMetadataEndpoint!.ToString()));
    }

    [Theory]
    [InlineData("cloud", "germany", "cloud 'germany' is not public, china, usgov or stack")]
    [InlineData("arm_endpoint", "ftp://x/", "arm_endpoint 'ftp://x/' is not an http(s) address without query or credentials")]
    [InlineData("imds_endpoint", "http://u:p@169.254.169.254/", "imds_endpoint 'http://u:p@169.254.169.254/' is not an http(s) address without query or credentials")]
    [InlineData("power_timeout", "0", "power_timeout '0' is not a number of seconds from 1 to 86400")]
    [InlineData("stonith_status_sleep", "0.001", "stonith_status_sleep '0.001' is not a number of seconds from 0.05 to 86400")]
    [InlineData("resourceGroup", "rg/../x", "subscriptionId and resourceGroup may hold letters, digits, '-', '_', '.' and '(' ')' only")]
    [InlineData("ca_bundle", "certs.pem", "ca_bundle 'certs.pem' is not an absolute path")]
    [InlineData("network-fencing", "1", "network-fencing is not supported by the built-in agent (it fences by powering the VM off)")]
    public void TryRead_BadValue_NamesTheParameter(string key, string value, string error) => Assert.Equal(error, Read((key, value)).Error);

    [Fact]
    public void TryRead_ServicePrincipal_NeedsTenantAndOneSecret()
    {
        Assert.Equal("a service principal needs username (the application id) and tenantId", Read(("username", "app"), ("password_file", "/s")).Error);
        Assert.Equal("a service principal needs exactly one of password_file, certificate_file or password",
            Read(("username", "app"), ("tenantId", "t"), ("password_file", "/s"), ("certificate_file", "/c")).Error);
        Assert.Equal("a managed identity (msi) takes no password, password_file or certificate_file; set msi=false for a service principal",
            Read(("msi", "true"), ("username", "app"), ("password", "x")).Error);
        var (s, _) = Read(("username", "app"), ("tenantId", "t"), ("certificate_file", "/etc/clusterd/sp.pem"));
        Assert.Equal((AzureIdentityKind.ClientCertificate, "/etc/clusterd/sp.pem"), (s!.IdentityKind, s.CredentialFile));
    }

    [Theory]
    [InlineData("*", "Microsoft.Compute/virtualMachines/powerOff/action", true)]
    [InlineData("Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/read", true)]
    [InlineData("microsoft.compute/*/READ", "Microsoft.Compute/virtualMachines/read", true)]
    [InlineData("Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/powerOff/action", false)]
    [InlineData("Microsoft.Compute/virtualMachines/*", "Microsoft.Compute/virtualMachines/start/action", true)]
    [InlineData("Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/powerOff/action", false)]
    public void Grants_MatchesArmWildcards(string pattern, string action, bool granted) => Assert.Equal(granted, AzurePermissions.Grants(pattern, action));
}
