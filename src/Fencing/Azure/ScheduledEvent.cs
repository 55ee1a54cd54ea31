using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// One Azure Scheduled Event as the instance metadata service lists it (api-version 2020-07-01):
/// <c>EventId</c>, <c>EventType</c> (Freeze, Reboot, Redeploy, Preempt, Terminate), the VMs it is about
/// (<c>Resources</c>), <c>EventStatus</c> (Scheduled, Started), <c>NotBefore</c> (empty once started) and
/// <c>DurationInSeconds</c> (-1 or 0 when not known).
/// </summary>
public sealed record ScheduledEvent(
    string EventId,
    ScheduledEventType Type,
    EquatableArray<string> Resources,
    bool Started,
    DateTimeOffset? NotBefore,
    TimeSpan? Duration,
    string Description)
{
    /// <summary>The type as Azure writes it.</summary>
    public string TypeName => Type.ToString();
}

public enum ScheduledEventType
{
    /// <summary>A type this version does not know: listed, never acted on.</summary>
    Other,
    Freeze,
    Reboot,
    Redeploy,
    Preempt,
    Terminate,
}

/// <summary>
/// Reads the <c>/metadata/scheduledevents</c> document. Pure and bounded: at most <see cref="MaxEvents"/> events
/// of at most <see cref="MaxResources"/> VMs each; an event without a usable id or VM list is skipped with a
/// problem named; strings are cut to printable, bounded text.
/// </summary>
public static class ScheduledEventsDocument
{
    public const int MaxEvents = 64;
    public const int MaxResources = 64;
    private const int MaxText = 256;

    /// <summary>The events of <paramref name="document"/>; what was skipped and why goes to <paramref name="problems"/>.</summary>
    public static ImmutableArray<ScheduledEvent> Parse(JsonElement document, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty("Events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            problems.Add("no Events array");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<ScheduledEvent>();
        foreach (var e in events.EnumerateArray())
        {
            if (result.Count == MaxEvents)
            {
                problems.Add($"more than {MaxEvents} events: the rest ignored");
                break;
            }

            if (Read(e, out var problem) is { } parsed)
            {
                result.Add(parsed);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        return result.ToImmutable();
    }

    private static ScheduledEvent? Read(JsonElement e, out string? problem)
    {
        problem = null;
        if (e.ValueKind != JsonValueKind.Object || Text(e, "EventId") is not { Length: > 0 } id || id.Length > 128 || !id.All(c => c is > ' ' and < '\x7f'))
        {
            problem = "an event without a usable EventId skipped";
            return null;
        }

        if (!e.TryGetProperty("Resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            problem = $"event {id} has no Resources list: skipped";
            return null;
        }

        var vms = resources.EnumerateArray().Take(MaxResources)
            .Where(r => r.ValueKind == JsonValueKind.String)
            .Select(r => Bounded(r.GetString()!))
            .Where(r => r.Length > 0)
            .ToImmutableArray();
        var type = Enum.TryParse<ScheduledEventType>(Text(e, "EventType"), ignoreCase: true, out var t) && t != ScheduledEventType.Other ? t : ScheduledEventType.Other;
        DateTimeOffset? notBefore = null;
        if (Text(e, "NotBefore") is { Length: > 0 } nb)
        {
            if (!DateTimeOffset.TryParseExact(nb, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                problem = $"event {id} has an unreadable NotBefore '{Bounded(nb)}': skipped";
                return null;
            }

            notBefore = parsed;
        }

        TimeSpan? duration = e.TryGetProperty("DurationInSeconds", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
        var started = string.Equals(Text(e, "EventStatus"), "Started", StringComparison.OrdinalIgnoreCase);
        return new ScheduledEvent(id, type, vms, started, notBefore, duration, Bounded(Text(e, "Description") ?? ""));
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Bounded(string text)
    {
        var printable = new string([.. text.Take(MaxText).Select(c => char.IsControl(c) ? ' ' : c)]);
        return printable.Trim();
    }
}
