using System.Text.Json;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Files;

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

    public static StatusParseResult Read(string json, string fileName = "<input>") => ReadInterruptible(json, fileName, CancellationToken.None);

    /// <summary>
    /// As <see cref="Read(string, string)"/>, throwing <see cref="OperationCanceledException"/> once
    /// <paramref name="cancellationToken"/> is cancelled: checked before the JSON is parsed and at each
    /// node, resource, fail count and operation it is mapped to.
    /// </summary>
    public static StatusParseResult ReadInterruptible(string json, string fileName, CancellationToken cancellationToken)
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
            // One step (System.Text.Json from the string keeps exact error positions; about 0.1 s for 8 MiB):
            // the token is checked before it and then per node, resource and operation while mapping.
            cancellationToken.ThrowIfCancellationRequested();
            doc = JsonSerializer.Deserialize(json, StatusJsonContext.Default.StatusJsonDocument);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? -1) + 1;
            var column = (int)(e.BytePositionInLine ?? -1) + 1;
            return Fail(fileName, line, column, $"{e.Path ?? "$"}: {JsonErrorText.Reason(e)}");
        }

        if (doc is null)
        {
            return Fail(fileName, 1, 1, "$: expected a JSON object, found null");
        }

        var errors = new List<ConfigDiagnostic>();
        var status = StatusJsonMapper.ToStatus(doc, (path, message) => errors.Add(new ConfigDiagnostic(fileName, 0, 0, $"{path}: {message}")), cancellationToken);
        return errors.Count == 0 ? new StatusParseResult(status, []) : new StatusParseResult(null, [.. errors]);
    }

    /// <summary>Reads a status file; an unreadable, oversized or non-regular file is reported as an error, not thrown.</summary>
    public static StatusParseResult ReadFile(string path) => ReadFileInterruptible(path, CancellationToken.None);

    /// <summary>As <see cref="ReadFile(string)"/>, interrupted like <see cref="ReadInterruptible"/>.</summary>
    public static StatusParseResult ReadFileInterruptible(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return BoundedFile.TryReadText(path, InputFileKind.Status, out var text, out var error)
            ? ReadInterruptible(text, path, cancellationToken)
            : Fail(path, 0, 0, error);
    }

    /// <summary>Writes a status in the same shape (indented), e.g. for <c>simulate</c> inputs and outputs.</summary>
    public static string Write(ClusterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return JsonSerializer.Serialize(StatusJsonMapper.ToDocument(status), StatusJsonContext.Default.StatusJsonDocument);
    }

    private static StatusParseResult Fail(string file, int line, int column, string message) =>
        new(null, [new ConfigDiagnostic(file, line, column, message)]);
}
