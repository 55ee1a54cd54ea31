using System.Diagnostics;

namespace ClusterD.TestKit.Processes;

/// <summary>Runs a short command to completion and captures its output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunDotnetAsync(string dll, IEnumerable<string> args, CancellationToken cancellationToken) =>
        RunAsync("dotnet", [dll, .. args], cancellationToken);

    public static Task<Result> RunDotnetAsync(string dll, IEnumerable<string> args, TimeSpan limit, CancellationToken cancellationToken) =>
        RunAsync("dotnet", [dll, .. args], limit, cancellationToken);

    /// <summary>Runs <paramref name="program"/> (found on PATH) for at most a minute.</summary>
    public static Task<Result> RunAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken) =>
        RunAsync(program, args, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>
    /// Runs <paramref name="program"/> (found on PATH) for at most <paramref name="limit"/>, then kills its process tree;
    /// <paramref name="environment"/> adds to or overrides the inherited variables.
    /// </summary>
    public static async Task<Result> RunAsync(
        string program, IEnumerable<string> args, TimeSpan limit, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
