using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Agents.Processes;

/// <summary>
/// Runs one program for an agent action in its own session and process group, with a complete
/// environment, stdin closed, stdout and stderr captured up to a bound, and a timeout. On
/// timeout or cancellation the whole group gets SIGTERM, then SIGKILL after
/// <see cref="AgentProcessRunnerOptions.TerminateGrace"/>, and the run ends only when no member
/// is left running.
/// </summary>
/// <remarks>
/// After a normal exit the group is left alone: a start action may legitimately leave a daemon
/// behind in it. The program's own process is always reaped (by the runtime's
/// <see cref="Process"/>); orphaned members are reaped here when
/// <see cref="AgentProcessRunnerOptions.ReapOrphans"/> is on. Time (durations, timeout, grace
/// periods) comes only from the <see cref="TimeProvider"/>.
/// </remarks>
public sealed partial class AgentProcessRunner
{
    /// <summary>Groups whose leader is reaped but whose adopted members may still exit later (only with ReapOrphans).</summary>
    private static readonly ConcurrentDictionary<int, byte> AdoptedGroups = new();
    private static int s_subreaper;

    private readonly AgentProcessRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AgentProcessRunner(AgentProcessRunnerOptions options, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        if (options.ReapOrphans && Interlocked.Exchange(ref s_subreaper, 1) == 0 && !Posix.BecomeSubreaper())
        {
            AgentsLog.SubreaperFailed(_logger);
        }
    }

    /// <summary>The runner's settings.</summary>
    public AgentProcessRunnerOptions Options => _options;

    /// <summary>Runs <paramref name="spec"/> to completion, timeout or cancellation; never throws for the program's failures.</summary>
    public async Task<ProcessOutcome> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ReapAdoptedGroups();
        var started = _time.GetTimestamp();
        using var process = new Process { StartInfo = CreateStartInfo(spec) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return new ProcessOutcome(ProcessCompletion.StartFailed, null, _time.GetElapsedTime(started), "", false)
            {
                Error = $"cannot start {spec.FileName}: {e.Message}",
            };
        }

        var pgid = process.Id;
        var feed = Feed(process.StandardInput, spec.StandardInput);
        var output = new BoundedOutput(spec.OutputLimit);
        var stdout = spec.CaptureStandardOutput ? new BoundedOutput(spec.OutputLimit) : null;
        var pumps = Task.WhenAll(
            Pump(process.StandardOutput.BaseStream, output, stdout),
            Pump(process.StandardError.BaseStream, output, null));

        using var timeout = new CancellationTokenSource(spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var completion = ProcessCompletion.Exited;
        string? error = null;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            completion = cancellationToken.IsCancellationRequested ? ProcessCompletion.Cancelled : ProcessCompletion.TimedOut;
            error = await KillGroupAsync(spec, process, pgid, completion, started).ConfigureAwait(false);
        }

        await DrainAsync(Task.WhenAll(pumps, feed)).ConfigureAwait(false);
        if (_options.ReapOrphans)
        {
            ReapGroup(pgid);
            if (!ProcessGroup.IsGone(pgid))
            {
                AdoptedGroups.TryAdd(pgid, 0);
            }
        }

        return new ProcessOutcome(
            completion,
            completion == ProcessCompletion.Exited ? process.ExitCode : null,
            _time.GetElapsedTime(started),
            output.ToString(),
            output.Truncated)
        {
            Error = error,
            ProcessGroup = pgid,
            StandardOutput = stdout?.ToString(),
        };
    }

    private ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(_options.SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            WorkingDirectory = spec.WorkingDirectory,
        };
        info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>
    /// Reads a pipe to its end on a thread of its own. A pipe read blocks, and blocked reads on
    /// thread-pool threads starve the pool once several agents run at once: the output of a finished
    /// agent would then be read only after the drain grace, and lost (and the daemon's timers delayed).
    /// </summary>
    private static Task Pump(Stream stream, BoundedOutput output, BoundedOutput? copy)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    output.Append(buffer.AsSpan(0, read));
                    copy?.Append(buffer.AsSpan(0, read));
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The process was disposed while its output was still being read.
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "agent output",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Reads what the program wrote before it exited; stops waiting after the drain grace because a
    /// daemon it left behind may keep the pipes open for as long as it runs (the reading thread then
    /// ends only when that daemon closes them).
    /// </summary>
    private async Task DrainAsync(Task pumps)
    {
        try
        {
            await pumps.WaitAsync(_options.DrainGrace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Abandoned: what was read so far is the output.
        }
    }

    /// <summary>
    /// Writes the input and closes stdin. Asynchronous, so a program that never reads cannot block
    /// the runner on a full pipe; once the program exits or is killed the write fails and ends.
    /// </summary>
    private static async Task Feed(StreamWriter writer, string? input)
    {
        if (input is not null)
        {
            try
            {
                await writer.WriteAsync(input).ConfigureAwait(false);
                await writer.FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The program exited (or was killed) without reading all of it.
            }
        }

        CloseQuietly(writer);
    }

    private static void CloseQuietly(StreamWriter writer)
    {
        try
        {
            writer.Close();
        }
        catch (IOException)
        {
            // The program already exited.
        }
    }
}
