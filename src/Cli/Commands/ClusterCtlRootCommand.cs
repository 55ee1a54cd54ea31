using System.CommandLine;
using System.CommandLine.Invocation;
using ClusterD.Cli.Rendering;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Builds the <c>clusterctl</c> command tree and runs one command line through it. This is the
/// whole program minus the process plumbing in <see cref="Program"/>, so tests drive it directly.
/// </summary>
internal static class ClusterCtlRootCommand
{
    public static RootCommand Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var globals = new GlobalOptions();
        var root = new RootCommand("clusterctl: administer the local ClusterD node over its admin socket")
        {
            globals.Socket,
            new StatusCommand(context, globals),
            new EventsCommand(context, globals),
            new StandbyCommand(context, globals, on: true),
            new StandbyCommand(context, globals, on: false),
            new ResourceCommand(context, globals),
            new MaintenanceCommand(context, globals),
            new AgentCommand(context, globals),
            new FenceCommand(context, globals),
            new SimulateCommand(context, globals),
            new ConfigureCommand(context, globals),
        };
        return root;
    }

    /// <summary>Runs <paramref name="args"/> with the real environment, writing to <paramref name="output"/>.</summary>
    public static Task<int> InvokeAsync(IReadOnlyList<string> args, IConsoleOutput output, CancellationToken cancellationToken) =>
        InvokeAsync(args, new CliContext(output), cancellationToken);

    /// <summary>
    /// Parses and runs <paramref name="args"/>; returns the process exit code (<see cref="ExitCodes"/>).
    /// Parse errors exit with <see cref="ExitCodes.Usage"/>. Cancelling the token is Ctrl-C.
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parseResult = Create(context).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var error in parseResult.Errors)
            {
                context.Output.WriteError($"clusterctl: {CommandLineInput.Translate(error.Message)}");
            }

            context.Output.WriteError("Run 'clusterctl --help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Output.Out,
            Error = context.Output.Error,
            // Program owns Ctrl-C and SIGTERM and cancels the token; no process-wide handlers here.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
