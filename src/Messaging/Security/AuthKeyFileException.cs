namespace ClusterD.Messaging.Security;

/// <summary>An authkey file that cannot be used, with its path.</summary>
public sealed class AuthKeyFileException : Exception
{
    public AuthKeyFileException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner) => Path = path;

    public string Path { get; }
}
