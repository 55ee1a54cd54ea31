using System.Diagnostics.CodeAnalysis;
using ClusterD.Platform.Files;

namespace ClusterD.Fencing.Scripts;

/// <summary>
/// Finds a <c>fence_*</c> program in an ordered list of directories, the first match winning. Debian's
/// fence-agents package installs them in <c>/usr/sbin</c>; a deployment (or a test) puts a directory of
/// its own agents before it. Only plain agent names are looked up (<c>fence_</c> then lower-case letters,
/// digits and underscores), so a configured agent type can never name a path, and only a regular,
/// executable file counts: a directory, FIFO or device by that name is skipped.
/// </summary>
public sealed class FenceAgentLocator
{
    /// <summary>Where Debian's fence-agents package installs its agents.</summary>
    public const string DefaultDirectory = "/usr/sbin";

    /// <summary>Longest accepted agent name (the longest in fence-agents 4.12 is 22 characters).</summary>
    public const int MaxNameLength = 64;

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Looks in <see cref="DefaultDirectory"/> only.</summary>
    public FenceAgentLocator()
        : this([DefaultDirectory])
    {
    }

    /// <summary>Looks in <paramref name="directories"/>, in order; each must be an absolute path.</summary>
    public FenceAgentLocator(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var list = directories.ToArray();
        foreach (var directory in list)
        {
            if (string.IsNullOrEmpty(directory) || directory[0] != '/' || directory.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{directory}' is not an absolute directory path", nameof(directories));
            }
        }

        Directories = list;
    }

    /// <summary>The directories searched, first match wins.</summary>
    public IReadOnlyList<string> Directories { get; }

    /// <summary>This locator with <paramref name="directory"/> searched before the others.</summary>
    public FenceAgentLocator WithFirst(string directory) => new([directory, .. Directories]);

    /// <summary>True for <c>fence_</c> followed by one or more of <c>a-z</c>, <c>0-9</c> and <c>_</c>.</summary>
    public static bool IsValidName([NotNullWhen(true)] string? agent)
    {
        const string prefix = "fence_";
        if (agent is null || agent.Length <= prefix.Length || agent.Length > MaxNameLength
            || !agent.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in agent.AsSpan(prefix.Length))
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The path of <paramref name="agent"/>: the first directory holding a regular executable file of that
    /// name. False with <paramref name="problem"/> when the name is refused or no directory has it.
    /// </summary>
    public bool TryFind(string? agent, [NotNullWhen(true)] out string? path, [NotNullWhen(false)] out string? problem)
    {
        path = null;
        if (!IsValidName(agent))
        {
            problem = $"'{Printable(agent)}' is not a fence agent name (fence_ followed by a-z, 0-9 or _)";
            return false;
        }

        var skipped = new List<string>();
        foreach (var directory in Directories)
        {
            var candidate = Path.Join(directory, agent);
            FileFacts? facts;
            try
            {
                facts = FileStat.Of(candidate, followLinks: true);
            }
            catch (IOException e)
            {
                skipped.Add($"{candidate} {e.Message}");
                continue;
            }

            if (facts is not { } f)
            {
                continue;
            }

            if (f.Kind != FileKind.Regular)
            {
                skipped.Add($"{candidate} is {f.Kind.Describe()}");
            }
            else if ((f.Mode & AnyExecute) == 0)
            {
                skipped.Add($"{candidate} is not executable");
            }
            else
            {
                path = candidate;
                problem = null;
                return true;
            }
        }

        problem = $"{agent} not found in {string.Join(", ", Directories)}"
            + (skipped.Count > 0 ? $" ({string.Join("; ", skipped)})" : "");
        return false;
    }

    /// <summary>The name as it may be shown in a message: bounded, control characters replaced.</summary>
    internal static string Printable(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var bounded = text.Length > MaxNameLength ? text[..MaxNameLength] + "..." : text;
        return string.Create(bounded.Length, bounded, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }
}
