namespace ClusterD.Cli;

/// <summary>Raised before any gRPC call when the daemon's admin socket cannot be used at all.</summary>
internal sealed class DaemonUnreachableException : Exception
{
    public DaemonUnreachableException()
    {
    }

    public DaemonUnreachableException(string message)
        : base(message)
    {
    }

    public DaemonUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DaemonUnreachableException(string socketPath, string reason, Exception? innerException = null)
        : base($"cannot reach clusterd at {socketPath}: {reason}", innerException)
    {
        SocketPath = socketPath;
        Reason = reason;
    }

    public string SocketPath { get; } = "";

    public string Reason { get; } = "";
}
