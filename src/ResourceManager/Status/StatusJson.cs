using System.Text.Json;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>
/// Reads and writes the status JSON: exactly what <c>clusterctl status --json</c> prints, extended
/// with <c>failcounts</c>, node <c>attributes</c> and <c>operations</c> (docs/status-json.md). Keys
/// the model does not use are ignored; wrong types, unknown roles, missing required keys and
/// duplicates are errors naming the JSON path (and line and column for malformed JSON).
/// </summary>
public static class StatusJson
{
    /// <summary>A status file is kilobytes; refuse anything past this.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    public static StatusParseResult Read(string json, string fileName = "<input>")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(fileName);
        if (json.Length > MaxFileBytes)
        {
            return Fail(fileName, 0, 0, $"the status is larger than {MaxFileBytes} bytes");
        }

        StatusJsonDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, StatusJsonContext.Default.StatusJsonDocument);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? -1) + 1;
            var column = (int)(e.BytePositionInLine ?? -1) + 1;
            return Fail(fileName, line, column, $"{e.Path ?? "$"}: {Reason(e)}");
        }

        if (doc is null)
        {
            return Fail(fileName, 1, 1, "$: expected a JSON object, found null");
        }

        var errors = new List<ConfigDiagnostic>();
        var status = StatusJsonMapper.ToStatus(doc, (path, message) => errors.Add(new ConfigDiagnostic(fileName, 0, 0, $"{path}: {message}")));
        return errors.Count == 0 ? new StatusParseResult(status, []) : new StatusParseResult(null, [.. errors]);
    }

    public static StatusParseResult ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
            {
                return Fail(path, 0, 0, $"the file is larger than {MaxFileBytes} bytes");
            }

            return Read(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, 0, 0, $"cannot read: {e.Message}");
        }
    }

    /// <summary>Writes a status in the same shape (indented), e.g. for <c>simulate</c> inputs and outputs.</summary>
    public static string Write(ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return JsonSerializer.Serialize(StatusJsonMapper.ToDocument(status), StatusJsonContext.Default.StatusJsonDocument);
    }

    // System.Text.Json appends " Path: ... | LineNumber: ..." to its messages; the diagnostic has those already.
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return message.Replace("The JSON value could not be converted to ", "expected ", StringComparison.Ordinal)
            .Replace("System.Boolean", "true or false", StringComparison.Ordinal)
            .Replace("System.String", "a string", StringComparison.Ordinal)
            .Replace("System.Int32", "an integer", StringComparison.Ordinal)
            .TrimEnd('.');
    }

    private static StatusParseResult Fail(string file, int line, int column, string message) =>
        new(null, [new ConfigDiagnostic(file, line, column, message)]);
}
