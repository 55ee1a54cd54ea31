using System.Collections.Immutable;
using System.Text;

namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// Splits <c>additional_parameters</c> into arguments the way the script agent's shell does for
/// an unquoted expansion inside its <c>su -c "..."</c> string: words separated by blanks, with
/// single quotes, double quotes and backslash escapes honoured. Nothing is expanded or run.
/// </summary>
internal static class ShellWords
{
    public static bool TrySplit(string text, out ImmutableArray<string> words, out string problem)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c == '\\' && i + 1 < text.Length && (quote is null || text[i + 1] is '"' or '\\' or '$' or '`'))
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    result.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            words = [];
            problem = $"unterminated {quote} quote";
            return false;
        }

        if (inWord)
        {
            result.Add(word.ToString());
        }

        words = result.ToImmutable();
        problem = "";
        return true;
    }
}
