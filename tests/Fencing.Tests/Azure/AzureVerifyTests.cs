using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Tests.TestSupport;

namespace ClusterD.Fencing.Tests.Azure;

/// <summary>The device test against <see cref="ArmStub"/>: what it verifies, and that it never powers anything.</summary>
public sealed class AzureVerifyTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("clusterd-azure-");
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _stub.AddVm("hadb02");
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    private Task<IReadOnlyList<FenceCheck>> VerifyAsync(string vm) => new AzureArmFenceAgent(TimeProvider.System)
        .VerifyAsync(new FenceRequest(FenceAction.Status, vm, _stub.Parameters(withTarget: false), TimeSpan.FromSeconds(30)), Ct);

    [Fact]
    public async Task VerifyAsync_AllInPlace_PassesEveryCheckWithoutPowerCalls()
    {
        var checks = await VerifyAsync("hadb02");

        Assert.Equal(["parameters", "target", "token", "vm", "role", "list"], checks.Select(c => c.Name));
        Assert.All(checks, c => Assert.Equal(FenceCheckResult.Passed, c.Result));
        Assert.Equal("VM 'hadb02' found, power state running", checks[3].Detail);
        Assert.Equal("2022-04-01", Assert.Single(_stub.CallsOf("permissions")).ApiVersion);
        Assert.DoesNotContain(_stub.Calls, c => c.Method == "POST");
        Assert.Equal("running", _stub.PowerState("hadb02"));
    }

    [Fact]
    public async Task VerifyAsync_RoleWithoutPowerOff_FailsNamingIt()
    {
        _stub.Permissions = ["Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/start/action"];

        var role = (await VerifyAsync("hadb02")).Single(c => c.Name == "role");

        Assert.Equal(FenceCheckResult.Failed, role.Result);
        Assert.StartsWith("missing on VM 'hadb02': Microsoft.Compute/virtualMachines/powerOff/action (", role.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_PermissionsNotReadable_IsUnverified()
    {
        _stub.Fail("permissions", 403);

        var role = (await VerifyAsync("hadb02")).Single(c => c.Name == "role");

        Assert.Equal(FenceCheckResult.Unverified, role.Result);
    }

    [Fact]
    public async Task VerifyAsync_UnknownVm_StopsAtTheVmCheck()
    {
        var checks = await VerifyAsync("hadb09");

        Assert.Equal(FenceCheckResult.Failed, checks[^1].Result);
        Assert.Equal("vm", checks[^1].Name);
        Assert.StartsWith("VM 'hadb09' not found in resource group 'rg-ha'", checks[^1].Detail, StringComparison.Ordinal);
    }
}
