using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Splits crm configure text into statements. A statement starts on a line with a keyword and
/// continues while lines end in '\'. Whole-line '#' comments are skipped ('#' inside a line is data:
/// rules test <c>#uname</c>). Values may be quoted with '"' (escapes <c>\"</c>, <c>\\</c>, <c>\n</c>,
/// <c>\t</c>) or '\''. Forgiving where publication mangled files, with a warning naming the line:
/// a '\' followed by a new statement or a blank line ends the statement; an indented
/// <c>params</c>/<c>meta</c>/<c>op</c>/<c>attributes</c>/<c>utilization</c> line without the '\' before it
/// continues the statement above.
/// </summary>
internal static partial class CrmLexer
{
    /// <summary>Words that start a statement.</summary>
    public static readonly IReadOnlySet<string> StatementKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "node", "primitive", "group", "clone", "ms", "master", "location", "colocation", "collocation", "order",
        "property", "rsc_defaults", "op_defaults", "rsc_template", "rsc_ticket", "fencing_topology", "tag",
        "role", "user", "acl_target", "alert", "bundle", "xml", "monitor",
    };

    private static readonly HashSet<string> ClauseKeywords = new(StringComparer.Ordinal) { "params", "meta", "op", "attributes", "utilization" };

    public static List<CrmStatement> Split(string text, ConfigBuilder builder)
    {
        var statements = new List<CrmStatement>();
        List<CrmToken>? current = null;
        var continuedFrom = 0; // line number of a trailing '\', 0 when the previous line did not end in one
        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length; // a final newline ends the last line
        for (var i = 0; i < count; i++)
        {
            builder.Cancellation.ThrowIfCancellationRequested();
            var lineNo = i + 1;
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                if (continuedFrom > 0)
                {
                    builder.Warn(new SourcePos(continuedFrom, 0), $"line {continuedFrom} ends in '\\' but line {lineNo} is empty; the statement ends at line {continuedFrom}");
                    continuedFrom = 0;
                }

                continue;
            }

            if (trimmed[0] == '#')
            {
                ReadVersionComment(trimmed, lineNo, builder);
                continue;
            }

            var ok = Tokenize(line, lineNo, builder, out var tokens, out var continues);
            if (!ok)
            {
                // A broken line breaks its statement: that statement is dropped (its words and those of
                // its continuation lines go to a list that is not kept), so one mistake is reported once.
                var startsNew = tokens.Count > 0 && !tokens[0].Quoted && StatementKeywords.Contains(tokens[0].Text);
                var continuesCurrent = continuedFrom > 0 || (tokens.Count > 0 && ClauseKeywords.Contains(tokens[0].Text));
                if (!startsNew && continuesCurrent && current is { Count: > 0 })
                {
                    statements.RemoveAll(st => ReferenceEquals(st.Tokens, current));
                }

                current = [];
                continuedFrom = continues ? lineNo : 0;
                continue;
            }

            if (tokens.Count == 0)
            {
                // Only a '': the statement goes on.
                continuedFrom = continues ? lineNo : continuedFrom;
                continue;
            }

            var first = tokens[0];
            var startsStatement = !first.Quoted && first.EqualsIndex < 0 && StatementKeywords.Contains(first.Text);
            if (continuedFrom > 0 && current is not null && !startsStatement)
            {
                current.AddRange(tokens);
            }
            else if (continuedFrom == 0 && current is not null && !startsStatement && first.EqualsIndex < 0 && ClauseKeywords.Contains(first.Text))
            {
                builder.Warn(first.At, $"line {lineNo} continues the statement of line {(current.Count > 0 ? current[0].Line : lineNo)} although the line before it does not end in '\\'");
                current.AddRange(tokens);
            }
            else
            {
                if (continuedFrom > 0 && current is { Count: > 0 })
                {
                    builder.Warn(new SourcePos(continuedFrom, 0), $"line {continuedFrom} ends in '\\' but line {lineNo} starts a new '{first.Text}' statement; the statement ends at line {continuedFrom}");
                }

                current = [.. tokens];
                statements.Add(new CrmStatement(current));
            }

            continuedFrom = continues ? lineNo : 0;
        }

        if (continuedFrom > 0)
        {
            builder.Warn(new SourcePos(continuedFrom, 0), $"line {continuedFrom} ends in '\\' at the end of the file");
        }

        return statements;
    }

    private static bool Tokenize(string line, int lineNo, ConfigBuilder builder, out List<CrmToken> tokens, out bool continues)
    {
        tokens = [];
        continues = false;
        var i = 0;
        var sb = new StringBuilder();
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            var start = i;
            var quoted = false;
            var equals = -1;
            var valueColumn = 0;
            sb.Clear();
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                var c = line[i];
                if (c is '"' or '\'')
                {
                    quoted = true;
                    var quoteAt = i;
                    i++;
                    while (i < line.Length && line[i] != c)
                    {
                        if (c == '"' && line[i] == '\\' && i + 1 < line.Length)
                        {
                            sb.Append(line[i + 1] switch { 'n' => '\n', 't' => '\t', var other => other });
                            i += 2;
                        }
                        else
                        {
                            sb.Append(line[i++]);
                        }
                    }

                    if (i >= line.Length)
                    {
                        builder.Error(new SourcePos(lineNo, quoteAt + 1), $"unterminated {(c == '"' ? "double" : "single")} quote: expected a closing {c} on the same line");
                        return false;
                    }

                    i++;
                }
                else if (c == '\\')
                {
                    if (line.AsSpan(i + 1).IsWhiteSpace())
                    {
                        continues = true;
                        i = line.Length;
                        break;
                    }

                    sb.Append(line[i + 1]);
                    i += 2;
                }
                else
                {
                    if (c == '=' && equals < 0)
                    {
                        equals = sb.Length;
                        valueColumn = i + 2;
                    }

                    sb.Append(c);
                    i++;
                }
            }

            if (sb.Length > 0 || quoted)
            {
                tokens.Add(new CrmToken(sb.ToString(), lineNo, start + 1, i - start, quoted, equals, valueColumn));
            }
        }

        return true;
    }

    // "# clusterd: admin_epoch=N epoch=M", written by CrmWriter first, carries the version through show -> load.
    private static void ReadVersionComment(string comment, int lineNo, ConfigBuilder builder)
    {
        if (!comment.TrimStart('#').TrimStart().StartsWith("clusterd:", StringComparison.Ordinal))
        {
            return;
        }

        var m = VersionComment().Match(comment);
        if (m.Success
            && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var admin)
            && int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            builder.Version = new ConfigVersion(admin, epoch);
        }
        else
        {
            builder.Warn(new SourcePos(lineNo, 1), "'# clusterd:' comment not understood: expected '# clusterd: admin_epoch=N epoch=N'");
        }
    }

    [GeneratedRegex(@"^#\s*clusterd:\s*admin_epoch=(\d{1,9})\s+epoch=(\d{1,9})\s*$")]
    private static partial Regex VersionComment();
}
