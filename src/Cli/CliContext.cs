using ClusterD.Cli.Configuration;
using ClusterD.Cli.Rendering;

namespace ClusterD.Cli;

/// <summary>
/// Everything a command takes from its surroundings: where output goes, where the configuration
/// file and the environment are, how to reach the daemon and what time it is. <see cref="Program"/>
/// uses the defaults; tests replace what they need.
/// </summary>
internal sealed record CliContext(IConsoleOutput Output)
{
    public string ConfPath { get; init; } = SocketPathResolver.DefaultConfPath;

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public IAdminClientFactory ClientFactory { get; init; } = new AdminClientFactory();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads the operator's answer to a confirmation; null at the end of input.</summary>
    public Func<string?> ReadLine { get; init; } = Console.ReadLine;

    public string ResolveSocket(string? socketOption) =>
        SocketPathResolver.Resolve(socketOption, GetEnvironmentVariable, ConfPath);
}
