using ClusterD.Admin.V1;

namespace ClusterD.Cli;

/// <summary>A typed admin client plus whatever owns its transport (the gRPC channel), disposed together.</summary>
internal sealed class AdminConnection(ClusterAdmin.ClusterAdminClient client, IDisposable? transport = null) : IDisposable
{
    public ClusterAdmin.ClusterAdminClient Client { get; } = client;

    public void Dispose() => transport?.Dispose();
}
