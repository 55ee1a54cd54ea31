namespace ClusterD.Fencing.Azure;

/// <summary>The agent's credentials could not be set up (a refused or unreadable file, an unusable certificate).</summary>
public sealed class AzureCredentialException : Exception
{
    public AzureCredentialException()
    {
    }

    public AzureCredentialException(string message)
        : base(message)
    {
    }

    public AzureCredentialException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
