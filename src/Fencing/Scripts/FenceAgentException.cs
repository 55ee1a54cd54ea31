namespace ClusterD.Fencing.Scripts;

/// <summary>A fence agent could not answer a question about itself (its metadata): the message says why.</summary>
public sealed class FenceAgentException : Exception
{
    public FenceAgentException()
    {
    }

    public FenceAgentException(string message)
        : base(message)
    {
    }

    public FenceAgentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
