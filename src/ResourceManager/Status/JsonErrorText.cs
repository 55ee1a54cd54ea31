using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// Turns a System.Text.Json error into what a person editing the file needs: what was expected
/// there, in JSON's terms ("expected an array"), never a .NET type name. The JSON path, line and
/// column are the diagnostic's, so they are cut from the message.
/// </summary>
internal static partial class JsonErrorText
{
    public static string Reason(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        foreach (var marker in new[] { " Path:", " LineNumber:", " | LineNumber" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
        }

        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            return "expected " + (ExpectedAt(e.Path) ?? Expected(converted.Groups[1].Value));
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return $"missing required key {missing.Groups[1].Value.Trim().TrimEnd('.')}";
        }

        if (TooDeep().Match(message) is { Success: true } deep)
        {
            return $"nested deeper than {deep.Groups[1].Value} levels";
        }

        message = message.TrimEnd('.');
        return DotNetName().IsMatch(message) ? "a value of the wrong type or shape" : message;
    }

    /// <summary>
    /// What the status JSON holds at <paramref name="path"/> (docs/status-json.md), by the last
    /// key. The serializer's message names the type it was filling, which is not always the
    /// property's (a bad number in an object can name the object), so the path decides first.
    /// </summary>
    private static string? ExpectedAt(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (path.EndsWith(']'))
        {
            return "an object";
        }

        var key = path[(path.LastIndexOf('.') + 1)..];
        return key switch
        {
            "nodes" or "resources" or "instances" or "failcounts" or "operations" => "an array",
            "attributes" => "an object",
            "quorate" or "online" or "standby" or "unclean" => "true or false",
            "cluster" or "dc" or "ringId" or "name" or "agent" or "node" or "role" or "resource" or "operation" => "a string",
            "id" => path.StartsWith("$.nodes", StringComparison.Ordinal) ? "a node id (a non-negative integer or a string)" : "a string",
            "rc" or "callId" or "opStatus" => "a whole number",
            "count" => "a score: an integer, \"INFINITY\" or \"-INFINITY\"",
            "interval" or "execTime" => "a duration such as \"30s\"",
            "lastFailure" or "lastRcChange" => "an ISO 8601 time such as \"2026-03-01T12:00:00Z\" (or null)",
            _ => null,
        };
    }

    /// <summary>The JSON that would have been accepted where a value of <paramref name="type"/> was read.</summary>
    private static string Expected(string type) => type switch
    {
        _ when type.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when type.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) => "an ISO 8601 time such as \"2026-03-01T12:00:00Z\" (or null)",
        _ when type.Contains("System.Int32", StringComparison.Ordinal) || type.Contains("System.Int64", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        "System.String" => "a string",
        _ when type.EndsWith(".Score", StringComparison.Ordinal) => "a score: an integer, \"INFINITY\" or \"-INFINITY\"",
        _ when type.Contains(".Duration", StringComparison.Ordinal) => "a duration such as \"30s\"",
        _ when type.Contains("JsonElement", StringComparison.Ordinal) => "a string, a number or a boolean",
        _ when type.StartsWith("ClusterD.", StringComparison.Ordinal) => "an object",
        _ => "a value of another type",
    };

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\.?$")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties,? including: (.*)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"maximum configured depth of (\d+) has been exceeded")]
    private static partial Regex TooDeep();

    [GeneratedRegex(@"System\.|ClusterD\.|`\d|Exception")]
    private static partial Regex DotNetName();
}
