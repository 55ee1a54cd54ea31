using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ClusterD.Fencing.Scripts;

/// <summary>
/// The stdin of a fence agent run without arguments (fence-agents <c>_parse_input_stdin</c>): one
/// <c>name=value</c> per line, <c>#</c> lines ignored, the last line for a name winning. Pure.
/// </summary>
/// <remarks>
/// A line break in a value would start a line of the caller's choosing (<c>action=reboot</c> smuggled into a
/// password), so names are restricted to what agents use (letters, digits, <c>_</c>, <c>-</c>) and values
/// with a line break or NUL are refused rather than escaped: the protocol has no escaping. The
/// <c>action</c> is ClusterD's to set; a parameter of that name is skipped. The plug comes after the
/// parameters, so it wins over a <c>plug</c> or <c>port</c> parameter.
/// </remarks>
internal static class FenceInput
{
    /// <summary>Longest accepted value, far above any real credential or certificate path.</summary>
    public const int MaxValueLength = 16 * 1024;

    public static bool TryBuild(FenceRequest request, [NotNullWhen(true)] out string? input, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        input = null;
        var text = new StringBuilder();
        text.Append("action=").Append(FenceActionNames.ToAgentName(request.Action)).Append('\n');
        foreach (var (name, value) in request.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsValidName(name))
            {
                problem = $"parameter name '{FenceAgentLocator.Printable(name)}' is not a fence agent parameter (letters, digits, _ and -)";
                return false;
            }

            if (string.Equals(name, "action", StringComparison.Ordinal))
            {
                continue;
            }

            if (!IsValidValue(value, out problem))
            {
                problem = $"parameter {name}: {problem}";
                return false;
            }

            text.Append(name).Append('=').Append(value).Append('\n');
        }

        if (request.Plug is { } plug)
        {
            if (!IsValidValue(plug, out problem) || plug.Length == 0)
            {
                problem = $"plug: {problem ?? "empty"}";
                return false;
            }

            text.Append("plug=").Append(plug).Append('\n');
        }

        input = text.ToString();
        problem = null;
        return true;
    }

    internal static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static bool IsValidValue(string? value, [NotNullWhen(false)] out string? problem)
    {
        problem = value switch
        {
            null => "no value",
            { Length: > MaxValueLength } => $"longer than {MaxValueLength} characters",
            _ when value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0 => "contains a line break or NUL, which the stdin protocol cannot carry",
            _ => null,
        };
        return problem is null;
    }
}
