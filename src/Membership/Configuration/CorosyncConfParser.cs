namespace ClusterD.Membership.Configuration;

/// <summary>
/// Parses the corosync.conf syntax (corosync.conf(5)): <c>name {</c> opens a section, <c>}</c>
/// closes it, <c>key: value</c> sets a key (the value is the rest of the line, trimmed), and
/// lines starting with <c>#</c> are comments. Pure: text in, tree out, errors with file and line.
/// </summary>
public static class CorosyncConfParser
{
    /// <summary>Bounds a hostile or broken file: nesting deeper than this is an error.</summary>
    private const int MaxDepth = 8;

    public static ConfSection Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stack = new Stack<Builder>();
        var current = new Builder("", 0);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line == "}")
            {
                if (stack.Count == 0)
                {
                    throw new ConfigException(fileName, lineNo, "}", "closing brace without an open section");
                }

                var done = current.Build();
                current = stack.Pop();
                current.Sections.Add(done);
                continue;
            }

            if (line.EndsWith('{'))
            {
                var name = line[..^1].Trim();
                if (!IsName(name))
                {
                    throw new ConfigException(fileName, lineNo, name, "a section needs a name before '{'");
                }

                if (stack.Count >= MaxDepth)
                {
                    throw new ConfigException(fileName, lineNo, name, $"sections nest deeper than {MaxDepth} levels");
                }

                stack.Push(current);
                current = new Builder(name, lineNo);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new ConfigException(fileName, lineNo, line, "expected 'key: value', 'section {' or '}'");
            }

            var key = line[..colon].Trim();
            if (!IsName(key))
            {
                throw new ConfigException(fileName, lineNo, key, "not a valid key name");
            }

            var value = line[(colon + 1)..].Trim();
            if (value.Any(c => char.IsControl(c) && c != '\t'))
            {
                // A NUL would end the value early where it becomes a C string (a path); others are never meant.
                throw new ConfigException(fileName, lineNo, key, "the value contains a control character");
            }

            current.Entries.Add(new ConfEntry(key, value, lineNo));
        }

        if (stack.Count > 0)
        {
            throw new ConfigException(fileName, current.Line, current.Name, "section is not closed with '}'");
        }

        return current.Build();
    }

    private static bool IsName(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private sealed class Builder(string name, int line)
    {
        public string Name { get; } = name;

        public int Line { get; } = line;

        public List<ConfEntry> Entries { get; } = [];

        public List<ConfSection> Sections { get; } = [];

        public ConfSection Build() => new(Name, Line, Entries.ToArray(), Sections.ToArray());
    }
}
