using ClusterD.Admin.V1;
using ClusterD.Cli.Tests.TestSupport;
using Grpc.Core;

namespace ClusterD.Cli.Tests.Commands;

/// <summary>
/// The operator verbs (standby, unstandby, resource cleanup|move|clear|switchover, maintenance, configure load)
/// through the real root command against the in-memory daemon: the request each sends, what is printed, and
/// the exit code of each class of refusal.
/// </summary>
public sealed class OperatorCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterctl-operator-");
    private readonly CliHarness _cli = new();

    public OperatorCommandTests() => _cli.UseFakeDaemon();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string[], string, object> Requests => new()
    {
        { ["standby"], "Standby", new StandbyRequest { On = true } },
        { ["standby", "node2"], "Standby", new StandbyRequest { Node = "node2", On = true } },
        { ["unstandby", "node2"], "Standby", new StandbyRequest { Node = "node2", On = false } },
        { ["resource", "cleanup", "mysqld"], "Cleanup", new CleanupRequest { Resource = "mysqld" } },
        { ["resource", "cleanup", "mysqld", "--node", "node2"], "Cleanup", new CleanupRequest { Resource = "mysqld", Node = "node2" } },
        { ["resource", "move", "g_mysql", "node2"], "MoveResource", new MoveResourceRequest { Resource = "g_mysql", Node = "node2" } },
        { ["resource", "clear", "g_mysql"], "ClearResource", new ClearResourceRequest { Resource = "g_mysql" } },
        { ["resource", "switchover", "ms_drbd_mysql"], "Switchover", new SwitchoverRequest { Resource = "ms_drbd_mysql" } },
        { ["maintenance", "on"], "Maintenance", new MaintenanceRequest { On = true } },
        { ["maintenance", "off"], "Maintenance", new MaintenanceRequest { On = false } },
    };

    public static TheoryData<StatusCode, int> Refusals => new()
    {
        { StatusCode.NotFound, ExitCodes.NotFound },
        { StatusCode.InvalidArgument, ExitCodes.InvalidArgument },
        { StatusCode.FailedPrecondition, ExitCodes.FailedPrecondition },
        { StatusCode.Unavailable, ExitCodes.ClusterUnavailable },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Verb_Accepted_SendsTheRequestAndPrintsTheDaemonsMessage(string[] args, string method, object request)
    {
        _cli.Daemon.Answer = (_, _) => new CommandReply { Message = "node2 is in standby" };

        var run = await _cli.RunAsync(args, Ct);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("node2 is in standby\n", run.Out.ReplaceLineEndings("\n"));
        Assert.Equal((method, request), Assert.Single(_cli.Daemon.Requests));
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Verb_Refused_PrintsTheMessageAndExitsWithItsClass(StatusCode code, int exitCode)
    {
        _cli.Daemon.Answer = (_, _) => throw FakeAdminCallInvoker.Refusal(code, "no resource 'nope' in the configuration");

        var run = await _cli.RunAsync(["resource", "move", "nope", "node2"], Ct);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal("clusterctl: resource move: no resource 'nope' in the configuration\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Verb_UnavailableWithoutRefusalTrailer_IsTheDaemonUnreachable()
    {
        _cli.Daemon.Answer = (_, _) => throw new RpcException(new Status(StatusCode.Unavailable, "Error connecting to subchannel."));

        var run = await _cli.RunAsync(["maintenance", "on"], Ct);

        Assert.Equal(ExitCodes.DaemonUnreachable, run.ExitCode);
        Assert.Contains("cannot reach clusterd", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maintenance", "maybe")]
    [InlineData("resource", "move", "g_mysql")]
    [InlineData("resource", "cleanup", "")]
    [InlineData("configure", "load", "merge", "x.crm")]
    public async Task Verb_BadCommandLine_UsageWithoutCallingTheDaemon(params string[] args)
    {
        var run = await _cli.RunAsync(args, Ct);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(_cli.Daemon.Requests);
    }

    [Theory]
    [InlineData("replace", true)]
    [InlineData("update", false)]
    public async Task ConfigureLoad_File_SendsItsTextNameAndMethod(string method, bool replace)
    {
        var file = Write("cluster.crm", "primitive p ocf:pacemaker:Dummy\n");

        var run = await _cli.RunAsync(["configure", "load", method, file], Ct);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var (name, request) = Assert.Single(_cli.Daemon.Requests);
        Assert.Equal(("LoadConfiguration", new LoadConfigurationRequest { Text = "primitive p ocf:pacemaker:Dummy\n", Replace = replace, Name = file }),
            (name, (LoadConfigurationRequest)request));
    }

    [Fact]
    public async Task ConfigureLoad_ParseErrors_EachLineOnStderrAndInvalidArgument()
    {
        var file = Write("bad.crm", "primitive\n");
        _cli.Daemon.Answer = (_, _) => throw FakeAdminCallInvoker.Refusal(StatusCode.InvalidArgument, $"{file}:1:10: expected an id\n{file}:2:1: more");

        var run = await _cli.RunAsync(["configure", "load", "replace", file], Ct);

        Assert.Equal(ExitCodes.InvalidArgument, run.ExitCode);
        Assert.Equal([$"clusterctl: configure load: {file}:1:10: expected an id", $"clusterctl: configure load: {file}:2:1: more"],
            run.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ConfigureLoad_WarningsFromTheDaemon_OnStderrAfterSuccess()
    {
        _cli.Daemon.Answer = (_, _) => new CommandReply { Message = "configuration replaced", Warnings = { "c.crm:3: unknown meta attribute 'foo'" } };

        var run = await _cli.RunAsync(["configure", "load", "replace", Write("c.crm", "property stonith-enabled=false\n")], Ct);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("configuration replaced", run.Out, StringComparison.Ordinal);
        Assert.Contains("clusterctl: configure load: warning: c.crm:3: unknown meta attribute 'foo'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureLoad_MissingFile_ErrorWithoutCallingTheDaemon()
    {
        var run = await _cli.RunAsync(["configure", "load", "update", Path.Combine(_dir.FullName, "missing.crm")], Ct);

        Assert.Equal(ExitCodes.Error, run.ExitCode);
        Assert.Contains("missing.crm", run.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Daemon.Requests);
    }

    [Fact]
    public async Task ConfigureShow_NoFile_TheLiveConfigurationWithItsVersion()
    {
        _cli.Daemon.Answer = (_, _) => new GetConfigurationReply { Crm = "primitive p ocf:pacemaker:Dummy\n", AdminEpoch = 1, Epoch = 7 };

        var run = await _cli.RunAsync(["configure", "show"], Ct);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("# admin_epoch=1 epoch=7\nprimitive p ocf:pacemaker:Dummy\n", run.Out.ReplaceLineEndings("\n"));
        Assert.Equal("GetConfiguration", Assert.Single(_cli.Daemon.Requests).Method);
    }

    [Fact]
    public async Task ConfigureShow_NoFileJson_TheLiveModelWithItsVersion()
    {
        _cli.Daemon.Answer = (_, _) => new GetConfigurationReply { Crm = "primitive p ocf:pacemaker:Dummy\n", AdminEpoch = 1, Epoch = 7 };

        var run = await _cli.RunAsync(["configure", "show", "--json"], Ct);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal("p", doc.RootElement.GetProperty("primitives")[0].GetProperty("id").GetString());
        Assert.Equal(7, doc.RootElement.GetProperty("version").GetProperty("epoch").GetInt32());
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
