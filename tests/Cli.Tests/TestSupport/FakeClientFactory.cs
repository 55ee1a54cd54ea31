using ClusterD.Admin.V1;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>Hands out clients over one <see cref="FakeAdminCallInvoker"/> and records which socket each command asked for.</summary>
internal sealed class FakeClientFactory(FakeAdminCallInvoker invoker) : IAdminClientFactory
{
    public List<string> SocketPaths { get; } = [];

    public AdminConnection Connect(string socketPath)
    {
        SocketPaths.Add(socketPath);
        return new AdminConnection(new ClusterAdmin.ClusterAdminClient(invoker));
    }
}
