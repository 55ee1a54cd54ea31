using System.Diagnostics;

namespace ClusterD.Daemon.Demo;

/// <summary>
/// Runs the testbed script (<c>tests/e2e/testbed/testbed</c>) with bash in a session of its own, one command at
/// a time, with the program search path the prerequisites were checked against and <paramref name="environment"/>
/// added. What it prints is appended to <paramref name="logPath"/> when given. The demo and the tests' testbed
/// run it so.
/// </summary>
internal sealed class TestbedScript(string path, string? logPath = null, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>A finished command: its exit code and what it printed.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public string ScriptPath { get; } = path;

    /// <summary>Runs <c>testbed ARGS</c> for at most <paramref name="limit"/>; returns its standard output, or throws with the end of what it said when it fails.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> args, TimeSpan limit, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(args, limit, cancellationToken);
        if (result.ExitCode != 0)
        {
            var said = string.Join('\n', (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(8));
            throw new InvalidOperationException($"testbed {string.Join(' ', args)} failed (exit code {result.ExitCode}):\n{said}");
        }

        return result.Stdout;
    }

    /// <summary>Runs <c>testbed ARGS</c> for at most <paramref name="limit"/> (then kills it); its exit code and output.</summary>
    public async Task<Result> TryRunAsync(IReadOnlyList<string> args, TimeSpan limit, CancellationToken cancellationToken)
    {
        // In a session of its own: a Ctrl-C at the terminal reaches only clusterd, which cancels and then takes the
        // testbed down; a second Ctrl-C cannot cut that short, and a cancelled command is killed with its children.
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--wait");
        start.ArgumentList.Add("/bin/bash");
        start.ArgumentList.Add(ScriptPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = TestbedPrerequisites.SearchPath();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the testbed");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            if (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"testbed {string.Join(' ', args)} did not finish within {limit.TotalSeconds:0} s");
            }

            throw;
        }
        finally
        {
            if (logPath is not null)
            {
                await File.AppendAllTextAsync(logPath, $"$ testbed {string.Join(' ', args)}\n{await stdout}{await stderr}", CancellationToken.None);
            }
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
