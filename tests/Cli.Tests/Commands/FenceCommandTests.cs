using System.Text.Json;
using ClusterD.Admin.V1;
using ClusterD.AzureArmStub;
using ClusterD.Cli.Tests.TestSupport;

namespace ClusterD.Cli.Tests.Commands;

/// <summary>
/// <c>clusterctl agent exec stonith:...</c> and <c>clusterctl fence test</c> through the real root command,
/// with the built-in Azure agent talking real HTTPS to the local Azure endpoint.
/// </summary>
public sealed class FenceCommandTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-fence-");
    private readonly CliHarness _cli = new();
    private ArmStub _stub = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _stub = await ArmStub.StartAsync(_dir.FullName, Ct);
        _stub.AddVm("vm-db-1");
        _stub.AddVm("vm-db-2");
    }

    public async ValueTask DisposeAsync()
    {
        await _stub.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private string[] Exec(string action, params string[] extra) =>
        ["agent", "exec", "stonith:fence_azure_arm", action, .. _stub.Parameters().SelectMany(p => new[] { "--param", $"{p.Key}={p.Value}" }), .. extra];

    private string ConfigFile(string device)
    {
        var path = Path.Combine(_dir.FullName, "cluster.crm");
        File.WriteAllText(path, "node hadb01\nnode hadb02\n" + device
            + string.Join(" ", _stub.Parameters().Select(p => $"{p.Key}=\"{p.Value}\"")) + "\n");
        return path;
    }

    [Fact]
    public async Task AgentExec_Off_PowersTheVmOffAndExitsZero()
    {
        var run = await _cli.RunAsync(Exec("off", "--param", "plug=vm-db-2"), Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("stonith:fence_azure_arm off vm-db-2: succeeded (rc 0) in ", run.Out, StringComparison.Ordinal);
        Assert.Equal("stopped", _stub.PowerState("vm-db-2"));
        Assert.Equal(["vm-db-2"], _stub.CallsOf("powerOff").Select(c => c.Vm));
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task AgentExec_StatusOfAStoppedVm_ExitsTwo()
    {
        _stub.AddVm("vm-db-1", "deallocated");

        var run = await _cli.RunAsync(Exec("status", "--param", "plug=vm-db-1"), Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("stonith:fence_azure_arm status vm-db-1: off (rc 2)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentExec_Forbidden_ExitsOneNamingThePermission()
    {
        _stub.Fail("powerOff", 403);

        var run = await _cli.RunAsync(Exec("off", "--param", "plug=vm-db-2", "--json"), Ct);

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(1, json.RootElement.GetProperty("rc").GetInt32());
        Assert.False(json.RootElement.GetProperty("succeeded").GetBoolean());
        Assert.Contains("the identity lacks Microsoft.Compute/virtualMachines/powerOff/action;", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stonith:../fence_x", "off", "'stonith:../fence_x' is not a fence agent")]
    [InlineData("stonith:fence_azure_arm", "promote", "unknown fence action 'promote'")]
    public async Task AgentExec_BadInput_ExitsTwo(string agent, string action, string error)
    {
        var run = await _cli.RunAsync(["agent", "exec", agent, action], Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"clusterctl: agent exec: {error}", run.Error, StringComparison.Ordinal);
        Assert.Empty(_stub.Calls);
    }

    [Fact]
    public async Task FenceTest_MappedNode_VerifiesEverythingAndPowersNothing()
    {
        var file = ConfigFile("primitive st-azure stonith:fence_azure_arm params pcmk_host_map=\"hadb01:vm-db-1;hadb02:vm-db-2\" ");

        var run = await _cli.RunAsync(["fence", "test", "hadb02", "--config", file], Ct);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal("st-azure (fence_azure_arm), hadb02 as 'vm-db-2':", lines[0]);
        Assert.Equal("  ok         host map   hadb02 is 'vm-db-2' by pcmk_host_map, in the device's static list", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("  ok         role       allowed on VM 'vm-db-2': ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  ok         token      the VM's managed identity got a token", StringComparison.Ordinal));
        Assert.Equal("hadb02 can be fenced (nothing was powered off)", lines[^1].TrimEnd());
        Assert.DoesNotContain(_stub.Calls, c => c.Method == "POST" && c.Operation != "aadToken");
        Assert.Equal(("running", "running"), (_stub.PowerState("vm-db-1"), _stub.PowerState("vm-db-2")));
    }

    [Fact]
    public async Task FenceTest_NodeOutsideTheHostList_FailsWithoutCallingAzure()
    {
        var file = ConfigFile("primitive st-azure stonith:external/azure params hostlist=\"hadb01\" ");

        var run = await _cli.RunAsync(["fence", "test", "hadb02", "--config", file, "--json"], Ct);

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        var check = json.RootElement.GetProperty("devices")[0].GetProperty("checks")[0];
        Assert.Equal(("host map", "failed"), (check.GetProperty("name").GetString(), check.GetProperty("result").GetString()));
        Assert.Empty(_stub.Calls);
    }

    [Fact]
    public async Task FenceTest_LiveConfiguration_ComesFromTheDaemon()
    {
        var crm = File.ReadAllText(ConfigFile("primitive st-azure stonith:fence_azure_arm params pcmk_host_map=\"hadb01:vm-db-1;hadb02:vm-db-2\" "));
        _cli.UseFakeDaemon();
        _cli.Daemon.Answer = (_, _) => new GetConfigurationReply { Crm = crm, AdminEpoch = 1, Epoch = 3 };
        _stub.Permissions = ["Microsoft.Compute/*/read"];

        var run = await _cli.RunAsync(["fence", "test", "hadb01"], Ct);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("GetConfiguration", Assert.Single(_cli.Daemon.Requests).Method);
        Assert.Contains("  FAILED     role       missing on VM 'vm-db-1': Microsoft.Compute/virtualMachines/powerOff/action, Microsoft.Compute/virtualMachines/start/action", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("hadb01 cannot be fenced as configured (nothing was powered off)\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentExec_FenceScript_RunsTheFenceAgentsProgram()
    {
        var power = Path.Combine(_dir.FullName, "power");
        File.WriteAllText(power, "on");

        var off = await _cli.RunAsync(["agent", "exec", "stonith:fence_dummy", "off", "--param", $"status_file={power}", "--param", "plug=1"], Ct);
        var status = await _cli.RunAsync(["agent", "exec", "stonith:fence_dummy", "status", "--param", $"status_file={power}", "--param", "plug=1"], Ct);

        Assert.Equal((0, 2), (off.ExitCode, status.ExitCode));
        Assert.Equal("off", File.ReadAllText(power));
        Assert.StartsWith("stonith:fence_dummy status 1: off (rc 2)", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FenceTest_FenceScript_RunsMonitorAndStatusOnly()
    {
        var power = Path.Combine(_dir.FullName, "power");
        File.WriteAllText(power, "on");
        var file = Path.Combine(_dir.FullName, "dummy.crm");
        File.WriteAllText(file, $"node hadb01\nnode hadb02\nprimitive st-dummy stonith:fence_dummy params status_file={power} pcmk_host_list=\"hadb01 hadb02\"\n");

        var run = await _cli.RunAsync(["fence", "test", "hadb02", "--config", file], Ct);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("  ok         monitor    fence_dummy monitor succeeded", run.Out, StringComparison.Ordinal);
        Assert.Contains("  ok         status     'hadb02' is on", run.Out, StringComparison.Ordinal);
        Assert.Equal("on", File.ReadAllText(power));
    }
}
