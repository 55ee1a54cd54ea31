using System.Collections.Immutable;
using System.Globalization;
using ClusterD.Agents;
using ClusterD.Messaging.Wire;
using Wire = ClusterD.Messaging.Wire;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;
using Google.Protobuf.Collections;

namespace ClusterD.Controller.Messages;

public static partial class ControllerCodec
{
    /// <summary>Longest parameter value or reason accepted.</summary>
    private const int MaxText = 64 * 1024;

    /// <summary>Longest timeout or interval accepted: a day.</summary>
    private const long MaxMilliseconds = 24L * 3600 * 1000;

    private static Wire.JoinReply ToWire(JoinReply m)
    {
        var wire = new Wire.JoinReply { JoinId = m.JoinId, Attributes = ToWire(m.Attributes) };
        wire.History.AddRange(m.History.Select(ToWire));
        return wire;
    }

    private static Wire.ActionRequest ToWire(ActionRequest m)
    {
        var call = new AgentCallSpec
        {
            Resource = m.Call.Resource,
            Agent = m.Call.Agent,
            Action = m.Call.Action.ToString().ToLowerInvariant(),
            TimeoutMs = (long)m.Call.Timeout.TotalMilliseconds,
            IntervalMs = (long)m.Call.Interval.TotalMilliseconds,
            CheckLevel = m.Call.CheckLevel,
        };
        call.Parameters.Add(m.Call.Parameters);
        call.Meta.Add(m.Call.Meta);
        if (m.Call.Notification is { } n)
        {
            var spec = new AgentNotificationSpec { Type = n.Type == NotifyType.Pre ? "pre" : "post", Operation = n.Operation.ToOcfName(), AfterFencing = n.AfterFencing };
            foreach (var (list, items) in (ReadOnlySpan<(RepeatedField<NotifyInstanceSpec>, ImmutableArray<NotifyInstance>)>)
                [(spec.Start, n.Start), (spec.Stop, n.Stop), (spec.Promote, n.Promote), (spec.Demote, n.Demote),
                 (spec.Active, n.Active), (spec.Inactive, n.Inactive), (spec.Promoted, n.Promoted), (spec.Unpromoted, n.Unpromoted)])
            {
                list.AddRange(items.Select(i => new NotifyInstanceSpec { Resource = i.Resource, Node = i.Node }));
            }

            spec.AllNodes.AddRange(n.AllNodes);
            spec.AvailableNodes.AddRange(n.AvailableNodes);
            call.Notification = spec;
        }

        return new Wire.ActionRequest
        {
            TransitionId = m.TransitionId,
            ActionId = m.ActionId,
            Call = call,
            Op = ResourceManager.Scheduling.TransitionAction.Name(m.Op),
            Role = m.Role is { } role ? ResourceRoles.Name(role) : "",
            Fatal = m.Fatal,
            RingSeq = m.RingSeq,
        };
    }

    private static AgentNotification FromWire(AgentNotificationSpec m)
    {
        var type = m.Type switch
        {
            "pre" => NotifyType.Pre,
            "post" => NotifyType.Post,
            _ => throw new ControllerCodecException($"call.notification.type '{Clip(m.Type)}' is not pre or post"),
        };
        var operation = AgentActions.TryParse(m.Operation, out var parsed) && parsed is AgentAction.Start or AgentAction.Stop or AgentAction.Promote or AgentAction.Demote
            ? parsed.Value
            : throw new ControllerCodecException($"call.notification.operation '{Clip(m.Operation)}' is not start, stop, promote or demote");
        if (m.AfterFencing && (type != NotifyType.Post || operation != AgentAction.Stop))
        {
            throw new ControllerCodecException($"call.notification.after_fencing is set on a {m.Type} notification of {m.Operation} (only a post notification of a stop follows a fence)");
        }

        return new AgentNotification(type, operation)
        {
            Start = Instances(m.Start, "start"),
            Stop = Instances(m.Stop, "stop"),
            Promote = Instances(m.Promote, "promote"),
            Demote = Instances(m.Demote, "demote"),
            Active = Instances(m.Active, "active"),
            Inactive = Instances(m.Inactive, "inactive"),
            Promoted = Instances(m.Promoted, "promoted"),
            Unpromoted = Instances(m.Unpromoted, "unpromoted"),
            AllNodes = Names(m.AllNodes, "all_nodes"),
            AvailableNodes = Names(m.AvailableNodes, "available_nodes"),
            AfterFencing = m.AfterFencing,
        };

        static ImmutableArray<NotifyInstance> Instances(RepeatedField<NotifyInstanceSpec> list, string field) =>
            list.Count <= MaxEntries
                ? [.. list.Select(i => new NotifyInstance(Name(i.Resource, $"call.notification.{field}.resource"), Name(i.Node, $"call.notification.{field}.node", allowEmpty: true)))]
                : throw new ControllerCodecException($"call.notification.{field} has {list.Count} entries (at most {MaxEntries})");

        static ImmutableArray<string> Names(RepeatedField<string> list, string field) =>
            list.Count <= MaxEntries
                ? [.. list.Select(n => Name(n, "call.notification." + field))]
                : throw new ControllerCodecException($"call.notification.{field} has {list.Count} entries (at most {MaxEntries})");
    }

    private static OperationEntry ToWire(OperationRecord r) => new()
    {
        Resource = r.Resource,
        Operation = r.Operation,
        IntervalMs = r.Interval.Milliseconds,
        Rc = r.RcCode,
        OpStatus = r.OpStatus,
        CallId = r.CallId,
        LastRcChangeMs = r.LastRcChange?.ToUnixTimeMilliseconds() ?? 0,
        ExecMs = r.ExecTime?.Milliseconds ?? 0,
    };

    private static Wire.NodeAttributes ToWire(NodeAttributeSet attributes)
    {
        var wire = new Wire.NodeAttributes { Serial = attributes.Serial };
        wire.Values.Add(attributes.Values);
        return wire;
    }

    private static ImmutableSortedDictionary<string, string> Map(MapField<string, string> map, string field)
    {
        if (map.Count > MaxEntries)
        {
            throw new ControllerCodecException($"{field} has {map.Count} entries (at most {MaxEntries})");
        }

        return map.ToImmutableSortedDictionary(p => Name(p.Key, field + " key"), p => Text(p.Value, $"{field}[{Clip(p.Key)}]") ?? "", StringComparer.Ordinal);
    }

    /// <summary>A non-empty name without whitespace or control characters, at most <see cref="MaxName"/> characters.</summary>
    private static string Name(string value, string field, bool allowEmpty = false)
    {
        if (value.Length == 0 && allowEmpty)
        {
            return value;
        }

        if (value.Length is 0 or > MaxName || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ControllerCodecException($"{field} '{Clip(value)}' is not a name (1-{MaxName} characters, no spaces or control characters)");
        }

        return value;
    }

    private static string? Text(string value, string field) =>
        value.Length == 0 ? null
        : value.Length <= MaxText && !value.Contains('\0') ? value
        : throw new ControllerCodecException($"{field} is longer than {MaxText} characters or holds a NUL");

    private static TimeSpan Milliseconds(long value, string field, long min) =>
        value >= min && value <= MaxMilliseconds
            ? TimeSpan.FromMilliseconds(value)
            : throw new ControllerCodecException(string.Create(CultureInfo.InvariantCulture, $"{field} {value} is out of range ({min}..{MaxMilliseconds})"));

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
