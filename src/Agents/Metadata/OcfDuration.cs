using System.Globalization;

namespace ClusterD.Agents.Metadata;

/// <summary>
/// Durations as Pacemaker writes them (<c>crm_get_msec</c>): a number with an optional unit,
/// <c>us</c>/<c>usec</c>, <c>ms</c>/<c>msec</c>, <c>s</c>/<c>sec</c>, <c>m</c>/<c>min</c>,
/// <c>h</c>/<c>hr</c>; a bare number means seconds. <c>20s</c>, <c>90</c>, <c>2min</c>.
/// </summary>
public static class OcfDuration
{
    /// <summary>Parses <paramref name="text"/>; false for an empty, negative, unitless-garbage or overflowing value.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var s = text?.Trim() ?? "";
        var digits = 0;
        while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
        {
            digits++;
        }

        if (digits == 0 || !double.TryParse(s.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        double? ms = s[digits..].Trim().ToLowerInvariant() switch
        {
            "" or "s" or "sec" or "secs" => value * 1000,
            "ms" or "msec" or "msecs" => value,
            "us" or "usec" or "usecs" => value / 1000,
            "m" or "min" or "mins" => value * 60_000,
            "h" or "hr" or "hrs" => value * 3_600_000,
            _ => null,
        };
        if (ms is not { } milliseconds || milliseconds > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
