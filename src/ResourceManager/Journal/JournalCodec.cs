using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// The entry file format (docs/scheduler.md, "Decision journal"):
/// <c>{ "format": "clusterd-decision/1", "entry": { id, time, now, configuration, status, graph, summary }, "sha256": HEX }</c>.
/// <c>configuration</c> is canonical crm text (<see cref="CrmWriter"/>), <c>status</c> the status JSON
/// (<see cref="StatusJson"/>), <c>graph</c> the <c>simulate --json</c> shape. <c>sha256</c> is taken over
/// the bytes of the <c>entry</c> value exactly as they stand in the file, so any change to the entry,
/// even one that still parses, is detected. Pure: bytes in, bytes out.
/// </summary>
internal static class JournalCodec
{
    public const string Format = "clusterd-decision/1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Configuration text is read by people: keep '<', '>', '&' and non-ASCII names as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 64 };

    public static byte[] Write(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("format", Format);
        writer.WritePropertyName("entry");
        writer.Flush();
        var start = buffer.WrittenCount;
        WriteEntry(writer, entry);
        writer.Flush();
        var entryBytes = buffer.WrittenSpan[start..];
        var skip = entryBytes.IndexOf((byte)'{');
        var digest = Convert.ToHexStringLower(SHA256.HashData(entryBytes[skip..]));
        writer.WriteString("sha256", digest);
        writer.WriteEndObject();
        writer.Flush();
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads the entry file <paramref name="path"/> holding <paramref name="bytes"/>, which must be entry <paramref name="expectedId"/>.</summary>
    /// <exception cref="JournalEntryException">Not JSON, not this format, changed since written, or an input that no longer reads.</exception>
    public static JournalEntry Read(ReadOnlyMemory<byte> bytes, long expectedId, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, ReaderOptions);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"not a journal entry: invalid JSON at line {(e.LineNumber ?? 0) + 1}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || format.GetString() != Format)
            {
                throw Bad(path, $"not a journal entry (expected \"format\": \"{Format}\")");
            }

            var entry = Property(root, "entry", JsonValueKind.Object, path);
            var digest = String(root, "sha256", path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(entry.GetRawText())));
            if (!string.Equals(digest, actual, StringComparison.Ordinal))
            {
                throw Bad(path, "checksum mismatch: the entry was changed or damaged after it was written");
            }

            return ReadEntry(entry, expectedId, path);
        }
    }

    private static void WriteEntry(Utf8JsonWriter writer, JournalEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", entry.Id);
        writer.WriteString("time", entry.Time.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("now", entry.Now.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("configuration", CrmWriter.Write(entry.Config));
        writer.WritePropertyName("status");
        using (var status = JsonDocument.Parse(StatusJson.Write(entry.Status)))
        {
            status.RootElement.WriteTo(writer);
        }

        writer.WritePropertyName("graph");
        JsonSerializer.Serialize(writer, entry.Graph, JournalJsonContext.Default.TransitionView);
        writer.WriteString("summary", entry.Summary);
        writer.WriteEndObject();
    }

    private static JournalEntry ReadEntry(JsonElement entry, long expectedId, string path)
    {
        var idElement = Property(entry, "id", JsonValueKind.Number, path);
        if (!idElement.TryGetInt64(out var id) || id != expectedId)
        {
            throw Bad(path, $"holds entry {idElement.GetRawText()}, not {expectedId}");
        }

        var time = Time(entry, "time", path);
        var now = Time(entry, "now", path);
        var parsed = CrmParser.Parse(String(entry, "configuration", path), path + " (configuration)");
        if (!parsed.Succeeded)
        {
            throw Bad(path, "the recorded configuration does not parse: " + parsed.Errors[0]);
        }

        var status = StatusJson.Read(Property(entry, "status", JsonValueKind.Object, path).GetRawText(), path + " (status)");
        if (!status.Succeeded)
        {
            throw Bad(path, "the recorded status does not read: " + status.Errors[0]);
        }

        TransitionView? graph;
        try
        {
            graph = Property(entry, "graph", JsonValueKind.Object, path).Deserialize(JournalJsonContext.Default.TransitionView);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"the recorded graph is not in the simulate --json shape: {e.Path}: {e.Message}");
        }

        if (graph is null || graph.Placement.Any(p => !ResourceRoles.TryParse(p.Role, out _)))
        {
            throw Bad(path, "the recorded graph names an unknown role");
        }

        return new JournalEntry(id, time, now, parsed.Config, status.Status, graph, String(entry, "summary", path));
    }

    private static JsonElement Property(JsonElement parent, string name, JsonValueKind kind, string path) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw Bad(path, $"\"{name}\" is missing or not a{(kind == JsonValueKind.Object ? "n object" : $" {kind.ToString().ToLowerInvariant()}")}");

    private static string String(JsonElement parent, string name, string path) =>
        Property(parent, name, JsonValueKind.String, path).GetString()!;

    private static DateTimeOffset Time(JsonElement parent, string name, string path) =>
        DateTimeOffset.TryParseExact(String(parent, name, path), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw Bad(path, $"\"{name}\" is not an ISO 8601 round-trip time");

    private static JournalEntryException Bad(string path, string reason) => new($"{path}: {reason}");
}
