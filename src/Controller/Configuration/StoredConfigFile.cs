using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Configuration;

/// <summary>
/// The text of one stored generation: a comment saying what the file is, the canonical crm text
/// (<see cref="CrmWriter"/>, whose <c># clusterd: admin_epoch=N epoch=M</c> line carries the version),
/// and a last line <c># clusterd-sha256: HEX</c>, the SHA-256 of every byte above it. A file cut short
/// loses that line; a changed byte breaks the sum; either is refused even when the rest still parses.
/// Pure.
/// </summary>
internal static partial class StoredConfigFile
{
    private const string Banner = "# clusterd configuration store: change it with 'clusterctl configure', not by hand (the sha256 line guards it)\n";
    private const string TrailerPrefix = "# clusterd-sha256: ";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(ClusterConfig config)
    {
        var body = Banner + CrmWriter.Write(config);
        return body + TrailerPrefix + Digest(StrictUtf8.GetBytes(body)) + "\n";
    }

    /// <summary>The configuration in <paramref name="bytes"/>, or null with what is wrong ("checksum mismatch").</summary>
    public static ClusterConfig? Decode(byte[] bytes, string path, out string problem)
    {
        problem = "";
        if (bytes.Length == 0)
        {
            problem = "is empty";
            return null;
        }

        var span = bytes.AsSpan();
        var lastLine = span[^1] == (byte)'\n' ? span[..^1].LastIndexOf((byte)'\n') + 1 : -1;
        var trailer = lastLine < 0 ? Match.Empty : Trailer().Match(Encoding.ASCII.GetString(span[lastLine..^1]));
        if (!trailer.Success)
        {
            problem = "has no checksum line at its end (truncated or not written by clusterd)";
            return null;
        }

        var body = span[..lastLine];
        if (!string.Equals(Digest(body), trailer.Groups[1].Value, StringComparison.Ordinal))
        {
            problem = "checksum mismatch";
            return null;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            problem = "is not UTF-8 text";
            return null;
        }

        var parsed = CrmParser.Parse(text, path);
        if (!parsed.Succeeded)
        {
            problem = $"does not parse ({parsed.Errors[0].Message})";
            return null;
        }

        return parsed.Config;
    }

    private static string Digest(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    [GeneratedRegex("^# clusterd-sha256: ([0-9a-f]{64})$")]
    private static partial Regex Trailer();
}
