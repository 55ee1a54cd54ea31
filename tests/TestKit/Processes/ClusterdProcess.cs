using System.Diagnostics;
using System.Text;
using ClusterD.Admin.V1;
using Grpc.Net.Client;

namespace ClusterD.TestKit.Processes;

/// <summary>A real clusterd process for one node, with its output captured for failure messages.</summary>
public sealed class ClusterdProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _outputWaiters = [];
    private GrpcChannel? _channel;

    private ClusterdProcess(string name, string configPath, string socket, Process process)
    {
        Name = name;
        ConfigPath = configPath;
        Socket = socket;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string ConfigPath { get; }

    public string Socket { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public ClusterAdmin.ClusterAdminClient Client => new(_channel ??= AdminChannel.ForUnixSocket(Socket));

    /// <param name="binary">A native clusterd executable (e.g. the AOT build) to run instead of the built clusterd.dll.</param>
    public static ClusterdProcess Start(string name, string configPath, string socket, string? binary = null)
    {
        var start = new ProcessStartInfo(binary ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (binary is null)
        {
            start.ArgumentList.Add(RepoPaths.Clusterd);
        }

        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        start.ArgumentList.Add("--node");
        start.ArgumentList.Add(name);
        return new ClusterdProcess(name, configPath, socket, Process.Start(start)!);
    }

    public async Task<ClusterStatusReply> StatusAsync(CancellationToken cancellationToken) =>
        await Client.GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);

    /// <summary>Polls GetStatus until <paramref name="condition"/> holds; fails with the daemon's output otherwise.</summary>
    public async Task<ClusterStatusReply> WaitForAsync(Func<ClusterStatusReply, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        ClusterStatusReply? last = null;
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if (File.Exists(Socket))
                {
                    last = await StatusAsync(cancellationToken);
                    if (condition(last))
                    {
                        return last;
                    }
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not serving yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"{Name}: condition not met within {limit.TotalSeconds} s; last status: {last}\n--- output ---\n{Output}");
    }

    /// <summary>
    /// Reads the configuration until <paramref name="condition"/> holds: once, then again at each configuration
    /// event (the watch is subscribed before the first read, so no change falls between the two); fails with the
    /// daemon's output after <paramref name="limit"/>.
    /// </summary>
    public async Task<GetConfigurationReply> WaitForConfigAsync(Func<GetConfigurationReply, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var events = Client.WatchEvents(new WatchEventsRequest(), cancellationToken: deadline.Token);
        GetConfigurationReply? last = null;
        try
        {
            await events.ResponseHeadersAsync;
            while (true)
            {
                last = await Client.GetConfigurationAsync(new GetConfigurationRequest(), cancellationToken: deadline.Token);
                if (condition(last))
                {
                    return last;
                }

                do
                {
                    if (!await events.ResponseStream.MoveNext(deadline.Token))
                    {
                        throw new InvalidOperationException($"{Name}: the event stream ended (daemon stopping?); last: {last}\n--- output ---\n{Output}");
                    }
                }
                while (events.ResponseStream.Current.Kind is not (EventKind.Configuration or EventKind.Gap));
            }
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            && e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled })
        {
            throw new TimeoutException($"{Name}: configuration condition not met within {limit.TotalSeconds} s; last: {last}\n--- output ---\n{Output}");
        }
    }

    /// <summary>
    /// Completes when the output contains <paramref name="text"/> (true) or the process has exited without
    /// writing it (false); throws <see cref="TimeoutException"/> with the output after <paramref name="limit"/>.
    /// </summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan limit, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            _outputWaiters.Add((text, seen));
        }

        // Output is complete once the process has exited and its streams are drained (WaitForExitAsync waits for both).
        var exited = _process.WaitForExitAsync(cancellationToken);
        try
        {
            await Task.WhenAny(seen.Task, exited).WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name}: '{text}' not written and still running after {limit.TotalSeconds} s:\n{Output}");
        }

        return seen.Task.IsCompleted || Output.Contains(text, StringComparison.Ordinal);
    }

    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                Signals.Send(_process.Id, Signals.SigCont); // in case a test left it stopped
                Signals.Send(_process.Id, Signals.SigKill);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _channel?.Dispose();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _outputWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToArray())
            {
                waiter.Seen.TrySetResult();
                _outputWaiters.Remove(waiter);
            }
        }
    }
}
