using System.CommandLine;
using ClusterD.Cli.Configuration;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Options every verb accepts, before or after the verb (recursive options on the root). One
/// instance per root command: System.CommandLine symbols record their parents, so they are not
/// shared between command trees.
/// </summary>
internal sealed class GlobalOptions
{
    public GlobalOptions()
    {
        Socket.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            {
                result.AddError("--socket needs a path");
            }
        });
    }

    public Option<string?> Socket { get; } = new("--socket")
    {
        Description = "The daemon's admin socket. Default: $" + SocketPathResolver.EnvironmentVariable
            + ", else admin_socket in the clusterd { } section of " + SocketPathResolver.DefaultConfPath
            + ", else " + SocketPathResolver.DefaultSocketPath,
        HelpName = "PATH",
        Recursive = true,
    };
}
