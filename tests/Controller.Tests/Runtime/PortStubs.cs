using ClusterD.Controller.Runtime;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Tests.Runtime;

/// <summary>A transport for a cluster of one: nothing to send to.</summary>
internal sealed class NoTransport : IControllerTransport
{
    public void Send(string node, byte[] payload)
    {
    }
}

/// <summary>A fencer that fences nothing.</summary>
internal sealed class NoFencer : IControllerFencer
{
    public Task<(bool Succeeded, string? Reason, bool PowerOnDeferred)> FenceAsync(
        string target, string device, string reason, ClusterConfig config, ClusterStatus status, CancellationToken cancellationToken) =>
        Task.FromResult<(bool, string?, bool)>((false, "no fencer", false));
}

/// <summary>Storage that keeps nothing.</summary>
internal sealed class NoStorage : IControllerStorage
{
    public void SaveConfig(ClusterConfig config)
    {
    }

    public void RecordDecision(ClusterConfig config, ClusterStatus status, DateTimeOffset now, TransitionGraph graph)
    {
    }
}
