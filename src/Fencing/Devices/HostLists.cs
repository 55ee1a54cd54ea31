using System.Collections.Immutable;

namespace ClusterD.Fencing.Devices;

/// <summary>
/// The list syntaxes of Pacemaker's fencer (<c>daemons/fenced/fenced_commands.c</c>), pure:
/// <c>pcmk_host_list</c>, <c>pcmk_host_map</c>, the per-node form of <c>pcmk_delay_base</c>, and the
/// output of an agent's <c>list</c> action.
/// </summary>
internal static class HostLists
{
    /// <summary>Most names taken from one list: far above any real device, a bound against a hostile agent.</summary>
    public const int MaxEntries = 10_000;

    private static readonly char[] ListSeparators = [' ', '\t', '\n', '\r', ',', ';'];

    /// <summary><c>pcmk_host_list</c>: names separated by spaces, tabs, commas or semicolons.</summary>
    public static ImmutableArray<string> ParseTargets(string? text) =>
        text is null ? [] : [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries).Take(MaxEntries)];

    /// <summary>
    /// <c>pcmk_host_map</c>, as <c>build_port_aliases</c> reads it: <c>node:plug</c> or <c>node=plug</c> entries
    /// separated by <c>;</c>, space or tab (not comma: a plug may be a list of ports, <c>node1:1,2</c>); a
    /// backslash escapes the next character and is removed from the plug. A later entry for the same node
    /// (case-insensitively) replaces the earlier one; an entry without a node is skipped and reported.
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>> ParseHostMap(string? text, List<string> problems, string option = "pcmk_host_map")
    {
        var map = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        string? name = null;
        var last = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            switch (c)
            {
                case '\\':
                    i++;
                    break;
                case '=' or ':':
                    if (i > last)
                    {
                        name = text[last..i];
                    }

                    last = i + 1;
                    break;
                case '\0' or ';' or ' ' or '\t':
                    if (name is not null)
                    {
                        var plug = text[last..Math.Min(i, text.Length)].Replace("\\", "", StringComparison.Ordinal);
                        map.RemoveAll(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
                        if (map.Count < MaxEntries)
                        {
                            map.Add(KeyValuePair.Create(name, plug));
                        }

                        name = null;
                    }
                    else if (i > last)
                    {
                        problems.Add($"{option}: '{text[last..Math.Min(i, text.Length)]}' is not node:value");
                    }

                    last = i + 1;
                    break;
            }
        }

        return [.. map];
    }

    /// <summary>
    /// What an agent's <c>list</c> action printed (<c>plug,alias</c> per line), read as Pacemaker's
    /// <c>parse_host_line</c> does: every word separated by whitespace, <c>,</c> or <c>;</c>, each cut at the
    /// first character outside <c>[A-Za-z0-9_.-]</c>; the words <c>on</c> and <c>off</c> (list-status output)
    /// and lines complaining about parameters (<c>invalid</c>, <c>variable</c>) are skipped.
    /// </summary>
    public static ImmutableArray<string> ParseListOutput(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return [];
        }

        var names = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("invalid", StringComparison.Ordinal) || line.Contains("variable", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var word in line.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
            {
                var end = 0;
                while (end < word.Length && (char.IsAsciiLetterOrDigit(word[end]) || word[end] is '_' or '.' or '-'))
                {
                    end++;
                }

                var name = word[..end];
                if (name.Length > 0 && name is not ("on" or "off") && names.Count < MaxEntries)
                {
                    names.Add(name);
                }
            }
        }

        return [.. names];
    }
}
