namespace ClusterD.Controller.Configuration;

/// <summary>
/// <see cref="ConfigStore.Save"/> could not persist a configuration: the message names the file and the
/// reason. The configuration must then not be acknowledged.
/// </summary>
public sealed class ConfigStoreException : IOException
{
    public ConfigStoreException()
    {
    }

    public ConfigStoreException(string message)
        : base(message)
    {
    }

    public ConfigStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
