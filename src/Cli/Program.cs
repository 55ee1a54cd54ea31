using System.Runtime.InteropServices;
using ClusterD.Cli.Commands;
using ClusterD.Cli.Rendering;

namespace ClusterD.Cli;

/// <summary>Process plumbing only: console writers, and SIGINT/SIGTERM to a cancellation token.</summary>
internal static class Program
{
    /// <summary>
    /// A repeat signal within this window is the same request delivered twice (timeout(1) signals
    /// both the child and its process group), not an operator insisting.
    /// </summary>
    private static readonly TimeSpan RepeatSignalWindow = TimeSpan.FromSeconds(1);

    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        long? firstSignal = null;

        // The first Ctrl-C (or SIGTERM) ends a --watch or --follow cleanly with exit 0; one more
        // a second later gets the default action, so a wedged clusterctl can still be interrupted.
        void OnSignal(PosixSignalContext context)
        {
            var now = TimeProvider.System.GetTimestamp();
            firstSignal ??= now;
            context.Cancel = TimeProvider.System.GetElapsedTime(firstSignal.Value, now) < RepeatSignalWindow;
            stop.Cancel();
        }

        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await ClusterCtlRootCommand.InvokeAsync(args, TextWriterConsoleOutput.ForConsole(), stop.Token).ConfigureAwait(false);
    }
}
