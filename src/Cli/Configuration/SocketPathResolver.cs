namespace ClusterD.Cli.Configuration;

/// <summary>
/// Decides which admin socket to dial. Highest first: <c>--socket</c>, the <c>CLUSTERD_SOCKET</c>
/// environment variable, <c>admin_socket</c> in the <c>clusterd { }</c> section of the daemon's
/// configuration file, and finally the daemon's own default.
/// </summary>
internal static class SocketPathResolver
{
    /// <summary>The daemon's default when its configuration names no <c>admin_socket</c>.</summary>
    public const string DefaultSocketPath = "/run/clusterd/clusterd.sock";

    /// <summary>Where the daemon's systemd unit points <c>clusterd --config</c>.</summary>
    public const string DefaultConfPath = "/etc/clusterd/clusterd.conf";

    public const string EnvironmentVariable = "CLUSTERD_SOCKET";

    public static string Resolve(string? socketOption, Func<string, string?> getEnvironmentVariable, string confPath)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(socketOption))
        {
            return socketOption;
        }

        var fromEnvironment = getEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        return ClusterdConfReader.ReadAdminSocketFromFile(confPath) ?? DefaultSocketPath;
    }
}
