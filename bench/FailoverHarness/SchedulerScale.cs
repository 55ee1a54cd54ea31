using System.Diagnostics;
using System.Globalization;
using ClusterD.CibKit;
using ClusterD.TestKit.Processes;

namespace ClusterD.FailoverHarness;

/// <summary>
/// <c>clusterctl simulate</c> (ClusterD's scheduler, offline) and Debian's <c>crm_simulate -R</c>
/// side by side on the same CIBs (<see cref="ScaleCluster.Cib"/>: 16 nodes, a fifth of the primitives
/// in groups, locations and colocations, a fence device) at each size, from a cold start and with one
/// node lost. Each tool runs as its own process, timed from outside (wall time from start to exit,
/// peak resident memory from <c>/usr/bin/time</c>); a run that passes the limit is killed and
/// reported as "&gt; N s". The CIBs are kept in a temporary directory named in the output.
/// </summary>
internal static class SchedulerScale
{
    private const string CrmSimulate = "/usr/sbin/crm_simulate";

    public static async Task<int> RunAsync(int[] sizes, int limitSeconds, string? binary)
    {
        var directory = Directory.CreateTempSubdirectory("clusterd-scale-").FullName;
        var limit = TimeSpan.FromSeconds(limitSeconds);
        Console.WriteLine($"CIBs in {directory}; load average at start: {LoadAverage()}");
        Console.WriteLine($"clusterctl: {binary ?? RepoPaths.Clusterctl}; crm_simulate: {CrmSimulate}{(File.Exists(CrmSimulate) ? "" : " (not installed)")}; limit {limitSeconds} s per run");
        Console.WriteLine();
        Console.WriteLine("| primitives | case | CIB | clusterctl simulate | peak RSS | crm_simulate -R | peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            foreach (var scaleCase in (ScaleCase[])[ScaleCase.ColdStart, ScaleCase.NodeLost])
            {
                var cib = Path.Combine(directory, $"scale-{size}-{scaleCase}.xml");
                await File.WriteAllTextAsync(cib, ScaleCluster.Cib(size, scaleCase));
                var ours = binary is null
                    ? await TimeAsync("dotnet", [RepoPaths.Clusterctl, "simulate", "--config", cib, "--json"], limit)
                    : await TimeAsync(binary, ["simulate", "--config", cib, "--json"], limit);
                var theirs = File.Exists(CrmSimulate)
                    ? await TimeAsync(CrmSimulate, ["-x", cib, "-R", "-Q"], limit)
                    : null;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {size:N0} | {scaleCase} | {new FileInfo(cib).Length / 1048576.0:F1} MiB | {ours.Time} | {ours.Memory} | {theirs?.Time ?? "not installed"} | {theirs?.Memory ?? ""} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    private sealed record Timing(string Time, string Memory);

    /// <summary>Runs a program under <c>/usr/bin/time</c>, killing it after <paramref name="limit"/>.</summary>
    private static async Task<Timing> TimeAsync(string program, string[] args, TimeSpan limit)
    {
        var report = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in (string[])["-f", "%M", "-o", report, program, .. args])
            {
                start.ArgumentList.Add(arg);
            }

            var began = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return new Timing($"> {limit.TotalSeconds:0} s (killed)", "");
            }

            var elapsed = Stopwatch.GetElapsedTime(began);
            await Task.WhenAll(output, errors);
            var exit = process.ExitCode == 0 ? "" : $" (exit {process.ExitCode}: {(await errors).Split('\n')[0]})";
            var kilobytes = File.ReadAllLines(report).Select(l => long.TryParse(l, out var k) ? k : -1).LastOrDefault(k => k >= 0, -1);
            return new Timing(
                string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F2} s{exit}"),
                kilobytes < 0 ? "?" : string.Create(CultureInfo.InvariantCulture, $"{kilobytes / 1024.0:F0} MB"));
        }
        finally
        {
            File.Delete(report);
        }
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
