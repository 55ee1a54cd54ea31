using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Checks and parsers for command-line values that answer in the user's terms, so a bad value is a
/// usage error (exit 2) naming the option, never System.CommandLine's message with a .NET type.
/// </summary>
internal static partial class CommandLineInput
{
    /// <summary>An empty or blank <paramref name="option"/> value is refused: "--status: an empty value is not a file name".</summary>
    public static Option<string> NotEmpty(this Option<string> option, string what = "a file name")
    {
        option.Validators.Add(result => RefuseEmpty(result.Tokens, option.Name, what, result.AddError));
        return option;
    }

    /// <summary>An empty or blank value of <paramref name="argument"/> is refused: "FILE: an empty value is not a file name".</summary>
    public static Argument<T> NotEmpty<T>(this Argument<T> argument, string what = "a file name")
    {
        argument.Validators.Add(result => RefuseEmpty(result.Tokens, argument.Name, what, result.AddError));
        return argument;
    }

    /// <summary>A parser for a count: a whole number, 0 or more.</summary>
    public static int ParseCount(ArgumentResult result, string option)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= 0)
            {
                return value;
            }

            result.AddError($"{option}: '{text}' must be 0 or more");
        }
        else
        {
            result.AddError(WholeNumber().IsMatch(text)
                ? $"{option}: '{text}' is too large"
                : $"{option}: '{text}' is not a whole number");
        }

        return 0;
    }

    /// <summary>
    /// System.CommandLine's own message for a value its parser rejects names the .NET type
    /// ("as expected type 'System.Int32'"); this says what the option wanted instead. Options
    /// with their own parser never get here, but a new one without it still reads well.
    /// </summary>
    public static string Translate(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var (value, option, type) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        var expected = type switch
        {
            _ when type.Contains("Int", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) => "a number",
            _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration",
            _ => "a valid value",
        };
        return $"{option}: '{value}' is not {expected}";
    }

    private static void RefuseEmpty(IReadOnlyList<Token> tokens, string name, string what, Action<string> addError)
    {
        if (tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            addError($"{name}: an empty value is not {what}");
        }
    }

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"Cannot parse argument '(.*)' for (?:option|command|argument) '(.*)' as expected type '(.*)'")]
    private static partial Regex CannotParse();
}
