using System.Globalization;
using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A Pacemaker score: an integer saturated at ±1,000,000, where 1,000,000 means INFINITY
/// (<c>PCMK_SCORE_INFINITY</c>). Addition saturates, and -INFINITY dominates: INFINITY + -INFINITY
/// is -INFINITY, as in Pacemaker's <c>pcmk__add_scores</c>, so a ban always beats a preference.
/// </summary>
[JsonConverter(typeof(ScoreJsonConverter))]
public readonly record struct Score : IComparable<Score>
{
    /// <summary>The value Pacemaker uses for INFINITY.</summary>
    public const int InfinityValue = 1_000_000;

    public Score(int value) => Value = Math.Clamp(value, -InfinityValue, InfinityValue);

    public int Value { get; }

    public static Score Zero => default;

    public static Score Infinity => new(InfinityValue);

    public static Score MinusInfinity => new(-InfinityValue);

    public bool IsInfinity => Value == InfinityValue;

    public bool IsMinusInfinity => Value == -InfinityValue;

    public static Score operator +(Score left, Score right)
    {
        if (left.IsMinusInfinity || right.IsMinusInfinity)
        {
            return MinusInfinity;
        }

        if (left.IsInfinity || right.IsInfinity)
        {
            return Infinity;
        }

        return new Score((int)Math.Clamp((long)left.Value + right.Value, -InfinityValue, InfinityValue));
    }

    public static Score operator -(Score score) => new(-score.Value);

    public static bool operator <(Score left, Score right) => left.Value < right.Value;

    public static bool operator >(Score left, Score right) => left.Value > right.Value;

    public static bool operator <=(Score left, Score right) => left.Value <= right.Value;

    public static bool operator >=(Score left, Score right) => left.Value >= right.Value;

    public static Score Add(Score left, Score right) => left + right;

    public static Score Negate(Score score) => -score;

    public int CompareTo(Score other) => Value.CompareTo(other.Value);

    /// <summary>
    /// Reads <c>INFINITY</c>, <c>+INFINITY</c>, <c>-INFINITY</c> (also crmsh's <c>inf</c>, any case)
    /// or an integer; integers beyond ±1,000,000 saturate, as Pacemaker's <c>char2score</c> does.
    /// </summary>
    public static bool TryParse(string? text, out Score score)
    {
        score = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var body = s.TrimStart('+', '-');
        if (s.Length - body.Length > 1)
        {
            return false;
        }

        if (body.Equals("INFINITY", StringComparison.OrdinalIgnoreCase) || body.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            score = s[0] == '-' ? MinusInfinity : Infinity;
            return true;
        }

        if (body.Length == 0 || !body.All(char.IsAsciiDigit))
        {
            return false;
        }

        // Anything longer than 7 digits is past INFINITY anyway; avoid overflow on hostile input.
        var magnitude = body.TrimStart('0').Length > 7 ? InfinityValue : int.Parse(body, CultureInfo.InvariantCulture);
        score = new Score(s[0] == '-' ? -magnitude : magnitude);
        return true;
    }

    /// <summary>
    /// Reads a score written as an attribute value (a meta attribute such as <c>priority</c> or
    /// <c>resource-stickiness</c>): everything <see cref="TryParse"/> reads, and also a decimal
    /// such as <c>2.0</c>, whose fraction is dropped (<c>7.9</c> is 7, <c>-3.9</c> is -3) as
    /// Pacemaker's <c>char2score</c> does by reading the integer before the point. Constraint
    /// scores stay integers: Pacemaker's schema refuses <c>score="100.0"</c>.
    /// </summary>
    public static bool TryParseValue(string? text, out Score score)
    {
        if (TryParse(text, out score))
        {
            return true;
        }

        var s = text?.Trim() ?? "";
        var point = s.IndexOf('.', StringComparison.Ordinal);
        var decimalForm = point > 0 && char.IsAsciiDigit(s[point - 1]) && s[(point + 1)..].All(char.IsAsciiDigit);
        if (!decimalForm || !TryParse(s[..point], out score))
        {
            score = default;
            return false;
        }

        return true;
    }

    public static Score Parse(string text) =>
        TryParse(text, out var score) ? score : throw new FormatException($"'{text}' is not a score (an integer, INFINITY or -INFINITY)");

    /// <summary><c>INFINITY</c>, <c>-INFINITY</c> or the integer, the way Pacemaker writes scores.</summary>
    public override string ToString() =>
        IsInfinity ? "INFINITY" : IsMinusInfinity ? "-INFINITY" : Value.ToString(CultureInfo.InvariantCulture);
}
