using System.Globalization;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A non-negative time span in milliseconds, read the way Pacemaker's <c>crm_get_msec</c> reads
/// intervals and timeouts: an integer with an optional unit (<c>ms</c>/<c>msec</c>, <c>us</c>/<c>usec</c>,
/// <c>s</c>/<c>sec</c>, <c>m</c>/<c>min</c>, <c>h</c>/<c>hr</c>); a plain number means seconds.
/// ISO 8601 <c>PT1H30M</c> forms are accepted too. Written back in the largest exact unit.
/// </summary>
[JsonConverter(typeof(DurationJsonConverter))]
public readonly record struct Duration : IComparable<Duration>
{
    /// <summary>Bound on parsed values (about 31 years), so hostile input cannot overflow arithmetic.</summary>
    public const long MaxMilliseconds = 1_000_000_000_000L;

    public Duration(long milliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(milliseconds, MaxMilliseconds);
        Milliseconds = milliseconds;
    }

    public long Milliseconds { get; }

    public static Duration Zero => default;

    public TimeSpan ToTimeSpan() => TimeSpan.FromMilliseconds(Milliseconds);

    public static Duration FromSeconds(long seconds) => new(seconds * 1000);

    public int CompareTo(Duration other) => Milliseconds.CompareTo(other.Milliseconds);

    public static bool operator <(Duration left, Duration right) => left.Milliseconds < right.Milliseconds;

    public static bool operator >(Duration left, Duration right) => left.Milliseconds > right.Milliseconds;

    public static bool operator <=(Duration left, Duration right) => left.Milliseconds <= right.Milliseconds;

    public static bool operator >=(Duration left, Duration right) => left.Milliseconds >= right.Milliseconds;

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s[0] is 'P' or 'p')
        {
            return TryParseIso8601(s, out duration);
        }

        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits > 15)
        {
            return false;
        }

        var number = long.Parse(s.AsSpan(0, digits), CultureInfo.InvariantCulture);
        var unit = s[digits..].Trim().ToLowerInvariant();
        long? ms = unit switch
        {
            "" or "s" or "sec" => Multiply(number, 1000),
            "ms" or "msec" => number,
            "us" or "usec" => number / 1000,
            "m" or "min" => Multiply(number, 60_000),
            "h" or "hr" => Multiply(number, 3_600_000),
            _ => null,
        };
        if (ms is not { } value)
        {
            return false;
        }

        duration = new Duration(value);
        return true;
    }

    public static Duration Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a duration (e.g. 30s, 5min, 1h, 500ms)");

    /// <summary><c>0</c>, or the value in the largest unit that divides it exactly: <c>1h</c>, <c>5min</c>, <c>29s</c>, <c>500ms</c>.</summary>
    public override string ToString()
    {
        var ms = Milliseconds;
        return ms switch
        {
            0 => "0",
            _ when ms % 3_600_000 == 0 => Invariant(ms / 3_600_000) + "h",
            _ when ms % 60_000 == 0 => Invariant(ms / 60_000) + "min",
            _ when ms % 1000 == 0 => Invariant(ms / 1000) + "s",
            _ => Invariant(ms) + "ms",
        };
    }

    private static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static long? Multiply(long number, long factor) =>
        number <= MaxMilliseconds / factor ? number * factor : null;

    // P[nD][T[nH][nM][nS]]: the subset of ISO 8601 durations Pacemaker accepts for intervals.
    private static bool TryParseIso8601(string s, out Duration duration)
    {
        duration = default;
        long total = 0;
        var inTime = false;
        var any = false;
        var i = 1;
        while (i < s.Length)
        {
            if (s[i] is 'T' or 't')
            {
                if (inTime)
                {
                    return false;
                }

                inTime = true;
                i++;
                continue;
            }

            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i == s.Length || i - start > 12)
            {
                return false;
            }

            var n = long.Parse(s.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            long? part = (char.ToUpperInvariant(s[i]), inTime) switch
            {
                ('D', false) => Multiply(n, 86_400_000),
                ('H', true) => Multiply(n, 3_600_000),
                ('M', true) => Multiply(n, 60_000),
                ('S', true) => Multiply(n, 1000),
                _ => null,
            };
            if (part is not { } p || total > MaxMilliseconds - p)
            {
                return false;
            }

            total += p;
            any = true;
            i++;
        }

        if (!any)
        {
            return false;
        }

        duration = new Duration(total);
        return true;
    }
}
