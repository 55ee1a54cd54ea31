using System.Diagnostics;
using ClusterD.Admin.V1;
using Grpc.Net.Client;

namespace ClusterD.Daemon.Demo;

/// <summary>One clusterd child process of the demo, its log file and an admin client on its socket.</summary>
internal sealed class DemoNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;
    private GrpcChannel? _channel;

    private DemoNode(string name, string socket, Process process, StreamWriter log)
    {
        Name = name;
        Socket = socket;
        _process = process;
        _log = log;
        _pump = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }

    public string Socket { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public ClusterAdmin.ClusterAdminClient Client => new(_channel ??= AdminChannel.ForUnixSocket(Socket));

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

    /// <summary>Waits until the daemon answers GetStatus and <paramref name="ready"/> holds for the reply.</summary>
    public async Task<ClusterStatusReply> WaitForStatusAsync(Func<ClusterStatusReply, bool> ready, TimeSpan limit, TimeProvider time)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"clusterd for {Name} exited with code {_process.ExitCode}; see its log");
            }

            try
            {
                if (File.Exists(Socket) && await StatusAsync(time) is var status && ready(status))
                {
                    return status;
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening yet.
            }

            if (time.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"{Name} did not reach the expected state within {limit.TotalSeconds} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), time);
        }
    }

    /// <summary>GetStatus, given up after 2 s (a daemon that does not answer by then is treated as not answering).</summary>
    public async Task<ClusterStatusReply> StatusAsync(TimeProvider time)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        return await Client.GetStatusAsync(new GetStatusRequest(), cancellationToken: timeout.Token);
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        await _pump;
        _channel?.Dispose();
        await _log.DisposeAsync();
        _process.Dispose();
    }

    /// <summary>How to start this same clusterd binary again (the apphost, or <c>dotnet clusterd.dll</c>).</summary>
    private static ProcessStartInfo SelfCommand()
    {
        var host = Environment.ProcessPath ?? "clusterd";
        var start = new ProcessStartInfo(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clusterd.dll"));
        }

        return start;
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
