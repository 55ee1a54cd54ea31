using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Native.Filesystem;

public sealed partial class FilesystemAgent
{
    /// <summary>Signal rounds with SIGTERM before SIGKILL, as the OCF agent's force_unmount does.</summary>
    private const int TermRounds = 2;

    /// <summary>How long the users of a busy mount get to exit after a signal before the next unmount attempt.</summary>
    private static readonly TimeSpan SignalGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private async Task<AgentResult> StopAsync(FilesystemSettings settings, CancellationToken cancellationToken)
    {
        var signalled = new List<string>();
        for (var round = 0; ; round++)
        {
            var table = MountTable.Read();
            var mount = table.At(settings.Directory);
            if (mount is null)
            {
                return Result(OcfExitCode.Success) with { Output = Signalled(signalled) };
            }

            // Something mounted below keeps this mount busy for good: say so rather than kill its users.
            if (table.Below(settings.Directory).FirstOrDefault() is { } nested)
            {
                return Result(OcfExitCode.GenericError, $"{nested.MountPoint} is mounted below {settings.Directory}; unmount it first");
            }

            var error = FilesystemCalls.Unmount(settings.Directory);
            if (error == 0)
            {
                continue; // confirmed by the next read of mountinfo
            }

            if (error != FilesystemCalls.Ebusy)
            {
                return Result(OcfExitCode.GenericError, $"umount {settings.Directory} failed: errno {error}");
            }

            var users = MountUsers.Find(mount);
            if (!settings.MayKillUsers || users.Count == 0)
            {
                // Nothing of ours to signal (or not allowed to): retry until the action times out.
                await Task.Delay(SignalGrace, Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var signal = round < TermRounds ? Posix.SigTerm : Posix.SigKill;
            foreach (var user in users)
            {
                if (Posix.SignalProcess(user.Pid, signal))
                {
                    signalled.Add($"{(signal == Posix.SigTerm ? "SIGTERM" : "SIGKILL")} {user}");
                }
            }

            await UntilGoneAsync(users, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits up to <see cref="SignalGrace"/> for the signalled processes to exit.</summary>
    private async Task UntilGoneAsync(IReadOnlyList<MountUser> users, CancellationToken cancellationToken)
    {
        var started = Time.GetTimestamp();
        while (Time.GetElapsedTime(started) < SignalGrace && users.Any(u => ProcessInfo.IsAlive(u.Pid)))
        {
            await Task.Delay(Poll, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Signalled(List<string> signalled) =>
        signalled.Count == 0 ? "" : "signalled users of the mount: " + string.Join("; ", signalled) + "\n";
}
