using ClusterD.Agents.Processes;
using ClusterD.Controller.Runtime;
using ClusterD.Fencing;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Witness;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Daemon.Controller;

/// <summary>
/// The fencer as the controller sees it: the built-in agents (<c>fence_azure_arm</c>, <c>external/azure</c>) and
/// Debian's <c>fence_*</c> agents (and <c>clusterd.fence_agent_dir</c>'s) through <see cref="Fencer"/>.
/// </summary>
internal sealed class DaemonFencer : IControllerFencer, IDisposable
{
    private readonly string _local;
    private readonly AzureBlobWitness? _witness;
    private readonly CancellationTokenSource _stopping = new();

    public DaemonFencer(ClusterConfiguration config, LocalIdentity identity, TimeProvider time, ILoggerFactory loggers)
    {
        _local = identity.Node.Name;
        var locator = config.ClusterD.FenceAgentDir is { } dir ? new FenceAgentLocator().WithFirst(dir) : new FenceAgentLocator();
        var processes = new AgentProcessRunner(new AgentProcessRunnerOptions(), time);
        var logger = loggers.CreateLogger("ClusterD.Fencing");
        var scripts = FenceScriptRunner.Factory(processes, new FenceScriptOptions { Locator = locator }, logger);
        _witness = DaemonWitness.Create(config, _local, time, logger);

        // The token, the connection and the blob are ready before any race needs them, and kept so.
        _ = _witness?.KeepWarmAsync(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), _stopping.Token);
        var options = new FencerOptions { Witness = _witness, WitnessTimings = _witness?.Timings ?? new() };
        Fencer = new Fencer(NativeFenceAgents.Factory(scripts, new AzureArmFenceAgent(time, logger: logger)), time, options, logger);
    }

    public Fencer Fencer { get; }

    public void Dispose()
    {
        _stopping.Cancel();
        _witness?.Dispose();
        _stopping.Dispose();
    }

    public async Task<(bool Succeeded, string? Reason, bool PowerOnDeferred)> FenceAsync(
        string target, string device, string reason, ClusterConfig config, ClusterStatus status, CancellationToken cancellationToken)
    {
        var outcome = await Fencer.FenceAsync(new FenceTarget(target, reason, _local), config, status, cancellationToken);
        return (outcome.Succeeded, outcome.Succeeded ? null : outcome.Entry.Detail ?? "fencing failed", outcome.PowerOnDeferred);
    }

    public async Task<(bool Succeeded, string? Reason)> PowerOnAsync(string node, ClusterConfig config, CancellationToken cancellationToken)
    {
        var result = await Fencer.PowerOnAsync(node, config, cancellationToken);
        return (result.Succeeded, result.Succeeded ? null : result.Reason ?? "power-on failed");
    }
}
