using ClusterD.Agents;
using ClusterD.Agents.Native;
using ClusterD.Agents.Processes;
using ClusterD.Agents.Scripts;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Execution;

/// <summary>
/// Scheduler, executor and real agents together on this node: the native Dummy and Debian's OCF
/// Dummy script (resource-agents) are started, monitored and stopped by transitions until the
/// cluster settles, and each agent confirms the state on its own.
/// </summary>
public sealed class AgentActionRunnerTests : IDisposable
{
    private const string Node = "n1";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clusterd-rm-agents-");
    private readonly AgentResolver _agents;

    public AgentActionRunnerTests()
    {
        var processes = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, TimeProvider.System);
        var registry = new AgentRegistry().RegisterBuiltIns(new NativeAgentOptions { StateDirectory = _dir.FullName }, TimeProvider.System, processes);
        _agents = new AgentResolver(registry, new ScriptAgentOptions { ResourceTempDirectory = _dir.FullName }, processes);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Loop_StartsNativeAndScriptAgentsAndSettles_ThenTargetRoleStoppedStopsThem()
    {
        var config = Config(targetRole: null);
        var (status, settled) = await RunAsync(config, ClusterStatus.AllOnline([Node]));

        Assert.True(settled);
        Assert.Equal(InstanceRole.Started, status.RoleOf("native", Node));
        Assert.Equal(InstanceRole.Started, status.RoleOf("script", Node));
        Assert.Equal(OcfExitCode.Success, await MonitorAsync(config, "native"));
        Assert.Equal(OcfExitCode.Success, await MonitorAsync(config, "script"));
        Assert.True(File.Exists(Path.Combine(_dir.FullName, "script.state")), "the OCF Dummy script keeps its state file while started");
        Assert.Equal(0, status.LastOperation("script", Node, "monitor", Duration.FromSeconds(10))!.RcCode);

        var stopped = Config(targetRole: "Stopped");
        (status, settled) = await RunAsync(stopped, status);

        Assert.True(settled);
        Assert.Equal(InstanceRole.Stopped, status.RoleOf("native", Node));
        Assert.Equal(InstanceRole.Stopped, status.RoleOf("script", Node));
        Assert.Equal(OcfExitCode.NotRunning, await MonitorAsync(stopped, "native"));
        Assert.Equal(OcfExitCode.NotRunning, await MonitorAsync(stopped, "script"));
    }

    [Fact]
    public async Task Run_AgentNotInstalled_IsRc5AndTheRecordedFailureBansTheNode()
    {
        var config = TransitionExecutorTests.Parse($"""
            node {Node}
            primitive missing ocf:heartbeat:NoSuchAgentHere
            property stonith-enabled=false
            """);
        var start = new TransitionAction(TransitionOp.Start, "missing", Node);
        var result = await new AgentActionRunner(_agents, config, Node).RunAsync(start, TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(((int)OcfExitCode.NotInstalled, ActionExecStatus.Done), (result.ExitCode, result.Status));
        var status = StatusRecorder.Record(ClusterStatus.AllOnline([Node]), config,
            new ExecutedAction(start, result, ActionExpectations.Succeeded(start, result), DateTimeOffset.UnixEpoch, TimeSpan.Zero));
        Assert.DoesNotContain(Scheduler.Schedule(config, status, null, TestContext.Current.CancellationToken).Actions, a => a.Op == TransitionOp.Start && a.Resource == "missing");
    }

    [Fact]
    public async Task Loop_CloneWithNotify_RealOcfScriptReceivesTheNotifyVariables()
    {
        // An OCF script that logs every notification it gets: type, operation and the lists, one line each.
        var root = Path.Combine(_dir.FullName, "ocf");
        var script = Path.Combine(root, "resource.d", "test", "notifylog");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, """
            #!/bin/sh
            state="$OCF_RESKEY_dir/state"
            case "$1" in
              meta-data) echo '<resource-agent name="notifylog"><actions><action name="notify" timeout="5s"/></actions></resource-agent>'; exit 0 ;;
              start) touch "$state"; exit 0 ;;
              stop) rm -f "$state"; exit 0 ;;
              monitor) [ -f "$state" ] && exit 0; exit 7 ;;
              notify)
                m=OCF_RESKEY_CRM_meta_notify
                echo "$OCF_RESKEY_CRM_meta_notify_type-$OCF_RESKEY_CRM_meta_notify_operation on $OCF_RESKEY_CRM_meta_on_node:" \
                  "start=[$OCF_RESKEY_CRM_meta_notify_start_uname] stop=[$OCF_RESKEY_CRM_meta_notify_stop_uname]" \
                  "active=[$OCF_RESKEY_CRM_meta_notify_active_resource] inactive=[$OCF_RESKEY_CRM_meta_notify_inactive_resource]" \
                  "all=[$OCF_RESKEY_CRM_meta_notify_all_uname] key=$OCF_RESKEY_CRM_meta_notify_key_operation" >> "$OCF_RESKEY_dir/notifications"
                exit 0 ;;
            esac
            exit 3
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var processes = new AgentProcessRunner(new AgentProcessRunnerOptions { ReapOrphans = true }, TimeProvider.System);
        var agents = new AgentResolver(new AgentRegistry(), new ScriptAgentOptions { OcfRoot = root, ResourceTempDirectory = _dir.FullName }, processes);
        ClusterConfig Clone(string? targetRole) => TransitionExecutorTests.Parse($"""
            node {Node}
            primitive logged ocf:test:notifylog params dir={_dir.FullName} op monitor interval=10s
            clone logged-clone logged meta notify=true{(targetRole is null ? "" : $" target-role={targetRole}")}
            property stonith-enabled=false
            """);
        async Task<ClusterStatus> Run(ClusterConfig config, ClusterStatus status)
        {
            var executor = new TransitionExecutor(new AgentActionRunner(agents, config, Node), TimeProvider.System);
            var outcome = await TransitionLoop.RunAsync(config, status, executor, DateTimeOffset.UtcNow, 5, Ct);
            Assert.All(outcome.Steps, step => Assert.True(step.Result.Completed, step.Result.AbortReason));
            Assert.True(outcome.Settled);
            return outcome.Status;
        }

        var started = await Run(Clone(null), ClusterStatus.AllOnline([Node]));
        await Run(Clone("Stopped"), started);

        // Starting: no pre notification (nothing was active), a post one to the started instance. Stopping: a pre
        // notification to the active instance, no post one (nothing is left). Empty lists are a single space.
        Assert.Equal(
            [
                $"post-start on {Node}: start=[{Node}] stop=[ ] active=[ ] inactive=[logged:0] all=[{Node}] key=running",
                $"pre-stop on {Node}: start=[ ] stop=[{Node}] active=[logged:0] inactive=[ ] all=[{Node}] key=stop",
            ],
            File.ReadAllLines(Path.Combine(_dir.FullName, "notifications")));
        Assert.Equal(InstanceRole.Started, started.RoleOf("logged", Node));
        Assert.DoesNotContain(started.Operations, o => o.Operation == "notify");
    }

    [Theory]
    [InlineData("n2", "belongs to node n2")]
    [InlineData("fence", "fencing is not run by the agent runner")]
    [InlineData("nothere", "is not a primitive")]
    [InlineData("device", "is a fence device (stonith:fence_azure_arm): the fencer runs its actions")]
    public async Task Run_ActionItCannotRun_IsAnExecutionError(string what, string reason)
    {
        var action = what switch
        {
            "n2" => new TransitionAction(TransitionOp.Start, "native", "n2"),
            "fence" => new TransitionAction(TransitionOp.Fence, "", "n2"),
            "device" => new TransitionAction(TransitionOp.Start, "fencing", Node),
            _ => new TransitionAction(TransitionOp.Start, "nothere", Node),
        };

        var result = await new AgentActionRunner(_agents, Config(null), Node).RunAsync(action, TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(ActionExecStatus.Error, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    private ClusterConfig Config(string? targetRole) => TransitionExecutorTests.Parse($"""
        node {Node}
        primitive native ocf:pacemaker:Dummy op monitor interval=10s{(targetRole is null ? "" : $" meta target-role={targetRole}")}
        primitive script ocf:heartbeat:Dummy params state={Path.Combine(_dir.FullName, "script.state")} \
            meta clusterd-native=false{(targetRole is null ? "" : $" target-role={targetRole}")} op monitor interval=10s
        primitive fencing stonith:fence_azure_arm meta target-role=Stopped
        property stonith-enabled=false
        """);

    private async Task<(ClusterStatus Status, bool Settled)> RunAsync(ClusterConfig config, ClusterStatus status)
    {
        var executor = new TransitionExecutor(new AgentActionRunner(_agents, config, Node), TimeProvider.System);
        var outcome = await TransitionLoop.RunAsync(config, status, executor, DateTimeOffset.UtcNow, 5, Ct);
        Assert.All(outcome.Steps, step => Assert.True(step.Result.Completed, step.Result.AbortReason));
        return (outcome.Status, outcome.Settled);
    }

    /// <summary>Asks the agent itself, outside any transition.</summary>
    private async Task<OcfExitCode> MonitorAsync(ClusterConfig config, string resource)
    {
        var primitive = config.Primitives.Single(p => p.Id == resource);
        var meta = primitive.Meta.ToDictionary(StringComparer.Ordinal);
        var request = new AgentRequest(AgentAction.Monitor, resource) { Parameters = primitive.Params.ToDictionary(StringComparer.Ordinal) };
        return (await _agents.Resolve(primitive.Agent.ToString(), meta).ExecuteAsync(request, Ct)).ExitCode;
    }
}
