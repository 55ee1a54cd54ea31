using System.Globalization;

namespace ClusterD.Agents.Processes;

/// <summary>
/// The members of a process group, read from <c>/proc/PID/stat</c> (proc(5): state, ppid, pgrp
/// are fields 3-5, after the command in parentheses, which may itself contain spaces and ')').
/// </summary>
internal static class ProcessGroup
{
    /// <summary>One member: pid, one-letter state (R, S, D, Z, ...), command name.</summary>
    public readonly record struct Member(int Pid, char State, string Command)
    {
        public override string ToString() => $"{Pid} ({Command}, {State})";
    }

    /// <summary>
    /// True when no process of the group is left, or only zombies are (a dead process waiting for
    /// its parent to collect it runs nothing and holds nothing but its pid).
    /// </summary>
    public static bool IsGone(int pgid) =>
        !Posix.SignalGroup(pgid, 0) || Members(pgid).All(m => m.State == 'Z');

    /// <summary>The live members of <paramref name="pgid"/>, zombies included.</summary>
    public static IReadOnlyList<Member> Members(int pgid)
    {
        var members = new List<Member>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return members;
        }

        foreach (var dir in entries)
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited while we looked
            }

            if (TryParseStat(stat, out var member, out var group) && group == pgid)
            {
                members.Add(member with { Pid = pid });
            }
        }

        return members;
    }

    /// <summary>Parses one <c>/proc/PID/stat</c> line into its member and process group.</summary>
    internal static bool TryParseStat(string stat, out Member member, out int pgrp)
    {
        member = default;
        pgrp = 0;
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open || !int.TryParse(stat.AsSpan(0, open).Trim(), CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3 || fields[0].Length != 1
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out pgrp))
        {
            return false;
        }

        member = new Member(pid, fields[0][0], stat[(open + 1)..close]);
        return true;
    }
}
