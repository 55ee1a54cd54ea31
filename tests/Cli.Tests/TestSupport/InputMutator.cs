using System.Text;
using System.Text.Json.Nodes;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>
/// Seeded mutations of a valid input file, as a careless or hostile administrator would produce:
/// byte flips, truncations, deleted and duplicated lines, inserted garbage, huge numbers, deep
/// nesting and, for JSON, values of the wrong type. The same seed gives the same bytes.
/// </summary>
internal sealed class InputMutator(int seed)
{
    private static readonly string[] HugeNumbers =
    [
        "99999999999999999999999999999999", "-99999999999999999999", "1e400", "-1e-400", "2147483648", "-2147483649",
        "18446744073709551616", "1.5", "0x10", "NaN", "-0",
    ];

    private readonly Random _random = new(seed);

    /// <summary>What was done, for the failure message.</summary>
    public List<string> Applied { get; } = [];

    /// <summary>One to three mutations of <paramref name="input"/>; JSON mutations only when <paramref name="json"/>.</summary>
    public byte[] Mutate(byte[] input, bool json)
    {
        var bytes = input;
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            bytes = (json ? _random.Next(12) : _random.Next(9)) switch
            {
                0 => FlipByte(bytes),
                1 => Truncate(bytes),
                2 => DeleteLine(bytes),
                3 => DuplicateLine(bytes),
                4 => InsertGarbage(bytes),
                5 => ReplaceNumber(bytes),
                6 => DeepNesting(bytes, json),
                7 => SwapLines(bytes),
                8 => LongToken(bytes),
                _ => SwapJsonType(bytes),
            };
        }

        return bytes;
    }

    private byte[] FlipByte(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        var at = _random.Next(copy.Length);
        var value = (byte)_random.Next(256);
        Applied.Add($"byte {at} := 0x{value:x2}");
        copy[at] = value;
        return copy;
    }

    private byte[] Truncate(byte[] bytes)
    {
        var length = bytes.Length == 0 ? 0 : _random.Next(bytes.Length);
        Applied.Add($"truncate to {length}");
        return bytes[..length];
    }

    private byte[] DeleteLine(byte[] bytes)
    {
        var lines = Lines(bytes);
        var at = _random.Next(lines.Count);
        Applied.Add($"delete line {at + 1}");
        lines.RemoveAt(at);
        return Join(lines);
    }

    private byte[] DuplicateLine(byte[] bytes)
    {
        var lines = Lines(bytes);
        var at = _random.Next(lines.Count);
        var times = 1 + _random.Next(3);
        Applied.Add($"duplicate line {at + 1} x{times}");
        lines.InsertRange(at, Enumerable.Repeat(lines[at], times));
        return Join(lines);
    }

    private byte[] SwapLines(byte[] bytes)
    {
        var lines = Lines(bytes);
        var a = _random.Next(lines.Count);
        var b = _random.Next(lines.Count);
        Applied.Add($"swap lines {a + 1} and {b + 1}");
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return Join(lines);
    }

    private byte[] InsertGarbage(byte[] bytes)
    {
        byte[][] choices = [[0], [0xff, 0xfe], [0xc3], "\\\n"u8.ToArray(), "\"{[<"u8.ToArray(), "\r\n\t"u8.ToArray(), [0xef, 0xbb, 0xbf], "&#0;"u8.ToArray()];
        var garbage = choices[_random.Next(choices.Length)];
        var at = _random.Next(bytes.Length + 1);
        Applied.Add($"insert {Convert.ToHexString(garbage)} at {at}");
        return [.. bytes[..at], .. garbage, .. bytes[at..]];
    }

    /// <summary>Replaces one run of digits with a number no field can hold (or a non-integer).</summary>
    private byte[] ReplaceNumber(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var digits = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && (i == 0 || !char.IsAsciiDigit(text[i - 1]))).ToList();
        if (digits.Count == 0)
        {
            return bytes;
        }

        var start = digits[_random.Next(digits.Count)];
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var number = HugeNumbers[_random.Next(HugeNumbers.Length)];
        Applied.Add($"number at {start} := {number}");
        return Encoding.UTF8.GetBytes(text[..start] + number + text[end..]);
    }

    private byte[] DeepNesting(byte[] bytes, bool json)
    {
        var depth = 10 + _random.Next(3000);
        var nest = json
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth));
        var at = _random.Next(bytes.Length + 1);
        Applied.Add($"nesting {depth} deep at {at}");
        return [.. bytes[..at], .. Encoding.UTF8.GetBytes(nest), .. bytes[at..]];
    }

    private byte[] LongToken(byte[] bytes)
    {
        var length = 1000 + _random.Next(200_000);
        var at = _random.Next(bytes.Length + 1);
        Applied.Add($"{length}-character token at {at}");
        return [.. bytes[..at], .. Encoding.UTF8.GetBytes(new string('x', length)), .. bytes[at..]];
    }

    /// <summary>Replaces one value of a JSON document with a value of another type.</summary>
    private byte[] SwapJsonType(byte[] bytes)
    {
        JsonNode? root;
        var slots = new List<(JsonNode Parent, object Key)>();
        try
        {
            root = JsonNode.Parse(bytes);
            Collect(root, slots);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON (any more), a key given twice or bytes that are not UTF-8 after an earlier mutation.
            return FlipByte(bytes);
        }

        if (slots.Count == 0)
        {
            return bytes;
        }

        var (parent, key) = slots[_random.Next(slots.Count)];
        JsonNode? replacement = _random.Next(8) switch
        {
            0 => null,
            1 => JsonValue.Create("x"),
            2 => JsonValue.Create(_random.Next(-5, 5)),
            3 => new JsonArray(),
            4 => new JsonObject(),
            5 => JsonValue.Create(true),
            6 => JsonValue.Create(1e300),
            _ => new JsonArray(new JsonObject(), JsonValue.Create("y")),
        };
        Applied.Add($"{parent.GetPath()}[{key}] := {replacement?.ToJsonString() ?? "null"}");
        if (parent is JsonObject o)
        {
            o[(string)key] = replacement;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = replacement;
        }

        return Encoding.UTF8.GetBytes(root!.ToJsonString());
    }

    private static void Collect(JsonNode? node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    slots.Add((o, name));
                    Collect(child, slots);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, i));
                    Collect(a[i], slots);
                }

                break;
        }
    }

    private static List<byte[]> Lines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                lines.Add(bytes[start..(i + 1)]);
                start = i + 1;
            }
        }

        lines.Add(bytes[start..]);
        return lines;
    }

    private static byte[] Join(List<byte[]> lines) => [.. lines.SelectMany(l => l)];
}
