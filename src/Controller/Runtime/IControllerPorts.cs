using ClusterD.Controller.Core;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Runtime;

/// <summary>The network seam: sends an encoded controller message to a node (the daemon: the peer network; tests: an in-process bus).</summary>
public interface IControllerTransport
{
    /// <summary>Queues <paramref name="payload"/> for <paramref name="node"/>; a message to an unreachable node is dropped (the session rules make that a failure the DC sees).</summary>
    void Send(string node, byte[] payload);
}

/// <summary>Runs agent calls on this node (resource agents, and the fence devices' start/stop/monitor).</summary>
public interface IControllerAgents
{
    Task<ActionResult> RunAsync(AgentCall call, CancellationToken cancellationToken);
}

/// <summary>
/// Fences a node; returns whether it is confirmed off, why not, and whether its power-on was left for after the
/// cluster has recovered (a reboot by a device that defers it, like the Azure agent).
/// </summary>
public interface IControllerFencer
{
    Task<(bool Succeeded, string? Reason, bool PowerOnDeferred)> FenceAsync(
        string target, string device, string reason, ClusterConfig config, ClusterStatus status, CancellationToken cancellationToken);

    /// <summary>Powers a node on again whose power-on was deferred (see <see cref="FenceAsync"/>).</summary>
    Task<(bool Succeeded, string? Reason)> PowerOnAsync(string node, ClusterConfig config, CancellationToken cancellationToken) =>
        Task.FromResult<(bool, string?)>((false, "this fencer cannot power nodes on"));
}

/// <summary>Where the controller keeps what must survive it: the configuration and the decision journal.</summary>
public interface IControllerStorage
{
    /// <summary>Persists atomically; throws when it cannot.</summary>
    void SaveConfig(ClusterConfig config);

    void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph);
}

/// <summary>
/// The node's watchdog, driven by the core's effects on the controller's loop (so a loop that hangs stops
/// feeding it). Failures are the implementation's to log; <see cref="Detail"/> says what is open, or what failed.
/// </summary>
public interface IControllerWatchdog
{
    string? Detail { get; }

    void Arm(string device, TimeSpan timeout);

    void Feed();

    void Disarm();
}

/// <summary>Sends the Scheduled Event acknowledgements the core decides (in the background).</summary>
public interface IScheduledEventsAcknowledger
{
    void Acknowledge(string eventId);
}

/// <summary>Membership's side of an announced freeze: the covers replace the previous ones.</summary>
public interface IDetectionCoverSink
{
    void SetCovers(System.Collections.Immutable.ImmutableArray<DetectionWindow> covers);
}
