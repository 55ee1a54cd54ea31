using System.Diagnostics;

namespace ClusterD.Daemon.Demo;

/// <summary>One clusterd child process of the loopback demo, and its log file.</summary>
internal sealed class DemoNode : DemoDaemon
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;

    private DemoNode(string name, string socket, Process process, StreamWriter log)
        : base(name, socket)
    {
        _process = process;
        _log = log;
        _pump = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public int Pid => _process.Id;

    public override bool IsGone => _process.HasExited;

    protected override string GoneReason => $"clusterd for {Name} exited with code {_process.ExitCode}; see its log";

    public static DemoNode Start(string name, string configPath, string socket, string logPath)
    {
        var start = SelfCommand();
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        start.ArgumentList.Add("--node");
        start.ArgumentList.Add(name);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start clusterd for {name}");
        return new DemoNode(name, socket, process, new StreamWriter(logPath) { AutoFlush = true });
    }

    public void Kill() => Posix.Signal(_process.Id, Posix.SigKill);

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Posix.Signal(_process.Id, Posix.SigTerm);
        using var timeout = new CancellationTokenSource(grace, TimeProvider.System);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Posix.Signal(_process.Id, Posix.SigKill);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        await _pump;
        await base.DisposeAsync();
        await _log.DisposeAsync();
        _process.Dispose();
    }

    /// <summary>How to start this same clusterd binary again (the apphost, or <c>dotnet clusterd.dll</c>).</summary>
    private static ProcessStartInfo SelfCommand()
    {
        var host = Environment.ProcessPath ?? "clusterd";
        var self = SelfBinary();
        var start = new ProcessStartInfo(host);
        if (self != host)
        {
            start.ArgumentList.Add(self);
        }

        return start;
    }

    /// <summary>
    /// This clusterd binary: the apphost or the Native AOT executable, or clusterd.dll when it runs as
    /// <c>dotnet clusterd.dll</c> (the testbed starts a .dll with dotnet, anything else as it is).
    /// </summary>
    public static string SelfBinary()
    {
        var host = Environment.ProcessPath ?? "clusterd";
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? Path.Combine(AppContext.BaseDirectory, "clusterd.dll") : host;
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}
