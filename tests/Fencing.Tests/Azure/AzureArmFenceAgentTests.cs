using ClusterD.AzureArmStub;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Tests.TestSupport;

namespace ClusterD.Fencing.Tests.Azure;

/// <summary>
/// The built-in Azure agent over real HTTPS against <see cref="ArmStub"/>: the exact calls it makes, what it
/// waits for, and the words of its failures.
/// </summary>
public sealed class AzureArmFenceAgentTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _dir = new("clusterd-azure-");
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Retries as in production, with short backoffs of the agent's own (a Retry-After still counts in full).</summary>
    private static AzureArmFenceAgent Agent() =>
        new(TimeProvider.System, new AzureAgentOptions { RetryDelay = TimeSpan.FromMilliseconds(20), MaxRetryDelay = TimeSpan.FromMilliseconds(100) });

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.Path, Ct);
        _stub.AddVm("hadb01");
        _stub.AddVm("hadb02");
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Dispose();
    }

    private Task<FenceResult> RunAsync(FenceAction action, string? plug, Dictionary<string, string>? parameters = null, TimeSpan? timeout = null) =>
        Agent().RunAsync(new FenceRequest(action, plug, parameters ?? _stub.Parameters(), timeout ?? Timeout), Ct);

    [Fact]
    public async Task Off_VmStopsAfterSomeReads_SucceedsOnlyOnceStopped()
    {
        _stub.TransitionReads = 3;

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("stopped", _stub.PowerState("hadb02"));
        var arm = _stub.Calls.Where(c => c.Vm is not null).Select(c => c.Operation).ToArray();
        Assert.Equal(["instanceView", "powerOff", "instanceView", "instanceView", "instanceView", "instanceView"], arm);
        var powerOff = Assert.Single(_stub.CallsOf("powerOff"));
        Assert.Equal("POST", powerOff.Method);
        Assert.Equal("true", powerOff.Query["skipShutdown"]);
        Assert.Equal($"/subscriptions/{ArmStub.Subscription}/resourceGroups/{ArmStub.ResourceGroup}/providers/Microsoft.Compute/virtualMachines/hadb02/powerOff", powerOff.Path);
        Assert.All(_stub.Calls.Where(c => c.Vm is not null), c => Assert.True(c.Authorized));
        Assert.All(_stub.Calls.Where(c => c.Vm is not null), c => Assert.NotNull(c.ClientRequestId));
        Assert.DoesNotContain(_stub.Calls, c => c.Operation is "restart" or "deallocate" or "start");
        Assert.Contains("hadb02' is stopped (after 4 status read(s))", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_AlreadyDeallocated_SucceedsWithoutPowerOff()
    {
        _stub.AddVm("hadb02", "deallocated");

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        Assert.Empty(_stub.CallsOf("powerOff"));
    }

    [Fact]
    public async Task Off_VmNeverStops_FailsAtPowerTimeout()
    {
        _stub.NeverStops = true;
        var parameters = _stub.Parameters();
        parameters["power_timeout"] = "1";

        var result = await RunAsync(FenceAction.Off, "hadb02", parameters);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.Error, result.ExitCode);
        Assert.StartsWith("VM 'hadb02' not stopped within power_timeout (1 s): still stopping after ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_VmNeverStops_EndsAtTheRequestTimeout()
    {
        _stub.NeverStops = true;

        var result = await RunAsync(FenceAction.Off, "hadb02", timeout: TimeSpan.FromSeconds(4)).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.NotRun, result.ExitCode);
        Assert.StartsWith("timed out after ", result.Reason, StringComparison.Ordinal);
        Assert.Contains(" ms while waiting for VM 'hadb02' to be stopped (still stopping after ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_Throttled_WaitsTheRetryAfterThenPowersOff()
    {
        _stub.Fail("powerOff", 429, times: 1, retryAfter: "1");

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        var calls = _stub.CallsOf("powerOff");
        Assert.Equal([429, 202], calls.Select(c => c.Status));
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(0.95), $"retried after {(calls[1].At - calls[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Off_ServerErrorOnce_IsRetried()
    {
        _stub.Fail("powerOff", 500, times: 1);

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal([500, 202], _stub.CallsOf("powerOff").Select(c => c.Status));
    }

    [Fact]
    public async Task Off_ServerErrorEveryTime_FailsNamingTheCall()
    {
        _stub.Fail("powerOff", 500);

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.False(result.Succeeded);
        Assert.StartsWith($"Resource Manager failed to power off VM 'hadb02' in resource group '{ArmStub.ResourceGroup}' of subscription {ArmStub.Subscription}, also when retried (500 InternalServerError", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1 + new AzureAgentOptions().MaxRetries, _stub.CallsOf("powerOff").Count);
    }

    [Fact]
    public async Task Off_Forbidden_NamesThePowerOffPermission()
    {
        _stub.Fail("powerOff", 403);

        var result = await RunAsync(FenceAction.Off, "hadb02");

        Assert.False(result.Succeeded);
        Assert.Equal(FenceExitCodes.Error, result.ExitCode);
        Assert.StartsWith("not allowed to power off VM 'hadb02' in resource group 'rg-ha'", result.Reason, StringComparison.Ordinal);
        Assert.Contains("the identity lacks Microsoft.Compute/virtualMachines/powerOff/action;", result.Reason, StringComparison.Ordinal);
        Assert.Contains("correlation id ", result.Reason, StringComparison.Ordinal);
        Assert.Single(_stub.CallsOf("powerOff"));
    }

    [Fact]
    public async Task Status_Unauthorized_NamesTheReadPermission()
    {
        _stub.Fail("instanceView", 401);

        var result = await RunAsync(FenceAction.Status, "hadb01");

        Assert.False(result.Succeeded);
        Assert.StartsWith("Resource Manager did not accept the token to read the instance view of VM 'hadb01'", result.Reason, StringComparison.Ordinal);
        Assert.Contains("it needs Microsoft.Compute/virtualMachines/read", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_StartForbidden_NamesTheStartPermission()
    {
        _stub.Fail("start", 403);

        var result = await RunAsync(FenceAction.On, "hadb01");

        Assert.Contains("the identity lacks Microsoft.Compute/virtualMachines/start/action;", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownVm_NamesVmAndResourceGroup()
    {
        var result = await RunAsync(FenceAction.Status, "hadb09");

        Assert.False(result.Succeeded);
        Assert.StartsWith($"VM 'hadb09' not found in resource group 'rg-ha' of subscription {ArmStub.Subscription} (404 ResourceNotFound", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownResourceGroup_NamesIt()
    {
        var parameters = _stub.Parameters();
        parameters["resourceGroup"] = "rg-other";

        var result = await RunAsync(FenceAction.Status, "hadb01", parameters);

        Assert.StartsWith($"resource group 'rg-other' not found in subscription {ArmStub.Subscription} (404 ResourceGroupNotFound", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_RunningAndStopped_ExitZeroAndTwo()
    {
        _stub.AddVm("hadb02", "stopped");

        var on = await RunAsync(FenceAction.Status, "hadb01");
        var off = await RunAsync(FenceAction.Status, "hadb02");

        Assert.Equal((true, FenceExitCodes.Success, false), (on.Succeeded, on.ExitCode, on.IsOff));
        Assert.Equal((true, FenceExitCodes.StatusOff, true), (off.Succeeded, off.ExitCode, off.IsOff));
    }

    [Fact]
    public async Task On_WaitsUntilRunning()
    {
        _stub.AddVm("hadb02", "stopped");
        _stub.TransitionReads = 2;

        var result = await RunAsync(FenceAction.On, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("running", _stub.PowerState("hadb02"));
        Assert.Equal(3, _stub.CallsOf("instanceView").Count);
    }

    [Fact]
    public async Task Reboot_PowersOffAndDefersThePowerOn()
    {
        var result = await RunAsync(FenceAction.Reboot, "hadb02");

        Assert.True(result.Succeeded, result.Output);
        Assert.True(result.PowerOnDeferred);
        Assert.Equal("stopped", _stub.PowerState("hadb02"));
        Assert.Empty(_stub.CallsOf("start"));
    }

    [Fact]
    public async Task List_NamesTheResourceGroupsVms()
    {
        var result = await RunAsync(FenceAction.List, null);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal("hadb01,\nhadb02,\n", result.Output);
    }

    [Fact]
    public async Task Monitor_GetsATokenAndListsTheVms()
    {
        var result = await RunAsync(FenceAction.Monitor, null);

        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(["list"], _stub.Calls.Where(c => c.Operation != "token").Select(c => c.Operation));
    }

    [Fact]
    public async Task Calls_SendTheirPinnedApiVersions()
    {
        _stub.AddVm("hadb02", "stopped");
        await RunAsync(FenceAction.On, "hadb02");
        await RunAsync(FenceAction.Off, "hadb02");
        await RunAsync(FenceAction.List, null);
        await RunAsync(FenceAction.Status, "hadb02", _stub.Parameters(withTarget: false));

        var versions = _stub.Calls.GroupBy(c => c.Operation).ToDictionary(g => g.Key, g => g.Select(c => c.ApiVersion ?? "").Distinct().ToArray());
        Assert.Equal(["2024-07-01"], versions["powerOff"]);
        Assert.Equal(["2024-07-01"], versions["start"]);
        Assert.Equal(["2024-07-01"], versions["instanceView"]);
        Assert.Equal(["2024-07-01"], versions["list"]);
        Assert.Equal(["2021-02-01"], versions["imds"]);
        Assert.Equal(("2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01", "2021-02-01", "2022-04-01", "2015-01-01"),
            (AzureApiVersions.PowerOff, AzureApiVersions.Start, AzureApiVersions.InstanceView, AzureApiVersions.List,
             AzureApiVersions.InstanceMetadata, AzureApiVersions.Permissions, AzureApiVersions.StackEndpoints));
    }

    [Fact]
    public async Task Off_NoSubscriptionConfigured_ReadsItFromTheInstanceMetadata()
    {
        var result = await RunAsync(FenceAction.Off, "hadb01", _stub.Parameters(withTarget: false));

        Assert.True(result.Succeeded, result.Output);
        var imds = Assert.Single(_stub.CallsOf("imds"));
        Assert.True(imds.MetadataHeader);
        Assert.False(imds.Authorized);
        Assert.Contains("from the instance metadata", result.Output, StringComparison.Ordinal);
        Assert.StartsWith($"/subscriptions/{ArmStub.Subscription}/resourceGroups/{ArmStub.ResourceGroup}/", _stub.CallsOf("powerOff")[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_FromTheManagedIdentityEndpoint_PresentedToResourceManager()
    {
        var result = await RunAsync(FenceAction.Status, "hadb01");

        // Azure.Identity caches the identity's token process-wide: an earlier test's stub may have issued it.
        Assert.True(result.Succeeded, result.Output);
        Assert.All(_stub.CallsOf("token"), t => Assert.Equal((true, "https://management.azure.com", "2018-02-01"), (t.MetadataHeader, t.Query["resource"], t.ApiVersion)));
        Assert.True(Assert.Single(_stub.CallsOf("instanceView")).Authorized);
    }
}
