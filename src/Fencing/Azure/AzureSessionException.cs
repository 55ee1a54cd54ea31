namespace ClusterD.Fencing.Azure;

/// <summary>What a run needs before its first Resource Manager call could not be found out (Azure Stack endpoints, instance metadata).</summary>
public sealed class AzureSessionException : Exception
{
    public AzureSessionException()
    {
    }

    public AzureSessionException(string message)
        : base(message)
    {
    }

    public AzureSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
