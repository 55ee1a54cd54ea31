using System.Collections.Immutable;
using ClusterD.Agents;
using ClusterD.Messaging.Wire;
using Wire = ClusterD.Messaging.Wire;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;
using Google.Protobuf;

namespace ClusterD.Controller.Messages;

/// <summary>
/// The one adapter between <see cref="ControllerMessage"/> and its protobuf form. Decoding trusts
/// nothing: every name is checked (length, characters), every number range, every enum spelling; a
/// configuration must parse and validate whole. A bad message is a <see cref="ControllerCodecException"/>
/// naming the field, and never reaches the controller.
/// </summary>
public static partial class ControllerCodec
{
    public const string Topic = "ctl";

    /// <summary>Longest resource, node, attribute or action name accepted (Pacemaker's ids are XML ids; 256 is generous).</summary>
    public const int MaxName = 256;

    /// <summary>Most entries in one map (parameters, meta, attributes) and in one history.</summary>
    public const int MaxEntries = 4096;

    public static byte[] Encode(ControllerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wire = message switch
        {
            JoinRequest m => new ControlMessage { JoinRequest = new Wire.JoinRequest { JoinId = m.JoinId, RingSeq = m.RingSeq } },
            JoinReply m => new ControlMessage { JoinReply = ToWire(m) },
            ActionRequest m => new ControlMessage { ActionRequest = ToWire(m) },
            ActionReport m => new ControlMessage
            {
                ActionReport = new Wire.ActionReport
                {
                    TransitionId = m.TransitionId,
                    ActionId = m.ActionId,
                    Record = m.Record is { } r ? ToWire(r) : null,
                    Succeeded = m.Succeeded,
                    Reason = m.Reason ?? "",
                },
            },
            AttributesUpdate m => new ControlMessage { Attributes = ToWire(m.Attributes) },
            ConfigOffer m => new ControlMessage { Config = new Wire.ConfigOffer { Crm = CrmWriter.Write(m.Config) } },
            NodeFenced m => new ControlMessage { Fenced = new Wire.NodeFenced { Node = m.Node } },
            CleanupRequest m => new ControlMessage { Cleanup = new Wire.CleanupRequest { Resource = m.Resource ?? "" } },
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "not a controller message"),
        };
        return wire.ToByteArray();
    }

    /// <summary>Decodes a message from <paramref name="sender"/> (the authenticated peer's node name).</summary>
    /// <exception cref="ControllerCodecException">The payload is not a valid controller message.</exception>
    public static ControllerMessage Decode(ReadOnlySpan<byte> payload, string sender)
    {
        ControlMessage wire;
        try
        {
            wire = ControlMessage.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ControllerCodecException($"not a controller message: {e.Message}");
        }

        return wire.BodyCase switch
        {
            ControlMessage.BodyOneofCase.JoinRequest => new JoinRequest(wire.JoinRequest.JoinId, wire.JoinRequest.RingSeq),
            ControlMessage.BodyOneofCase.JoinReply => FromWire(wire.JoinReply, sender),
            ControlMessage.BodyOneofCase.ActionRequest => FromWire(wire.ActionRequest),
            ControlMessage.BodyOneofCase.ActionReport => new ActionReport(
                wire.ActionReport.TransitionId,
                Name(wire.ActionReport.ActionId, "action_report.action_id", allowEmpty: true),
                wire.ActionReport.Record is { } record ? FromWire(record, sender) : null,
                wire.ActionReport.Succeeded && wire.ActionReport.Record is not null,
                Text(wire.ActionReport.Reason, "action_report.reason")),
            ControlMessage.BodyOneofCase.Attributes => new AttributesUpdate(FromWire(wire.Attributes, "attributes")),
            ControlMessage.BodyOneofCase.Config => new ConfigOffer(ParseConfig(wire.Config.Crm, sender)),
            ControlMessage.BodyOneofCase.Fenced => new NodeFenced(Name(wire.Fenced.Node, "fenced.node")),
            ControlMessage.BodyOneofCase.Cleanup => new CleanupRequest(
                wire.Cleanup.Resource.Length == 0 ? null : Name(wire.Cleanup.Resource, "cleanup.resource")),
            _ => throw new ControllerCodecException("empty controller message (no body)"),
        };
    }

    private static ClusterConfig ParseConfig(string crm, string sender)
    {
        var parsed = CrmParser.Parse(crm, $"configuration from {sender}");
        return parsed.Succeeded
            ? parsed.Config
            : throw new ControllerCodecException($"the configuration does not validate: {string.Join("; ", parsed.Errors.Take(3))}");
    }

    private static JoinReply FromWire(Wire.JoinReply m, string sender)
    {
        if (m.History.Count > MaxEntries)
        {
            throw new ControllerCodecException($"join_reply.history has {m.History.Count} entries (at most {MaxEntries})");
        }

        return new JoinReply(
            m.JoinId,
            [.. m.History.Select(e => FromWire(e, sender))],
            FromWire(m.Attributes ?? new Wire.NodeAttributes(), "join_reply.attributes"));
    }

    private static ActionRequest FromWire(Wire.ActionRequest m)
    {
        var op = m.Op switch
        {
            "start" => TransitionOp.Start,
            "stop" => TransitionOp.Stop,
            "promote" => TransitionOp.Promote,
            "demote" => TransitionOp.Demote,
            "monitor" => TransitionOp.Monitor,
            "notify" => TransitionOp.Notify,
            _ => throw new ControllerCodecException($"action_request.op '{Clip(m.Op)}' is not start, stop, promote, demote, monitor or notify"),
        };
        ResourceRole? role = m.Role.Length == 0 ? null
            : ResourceRoles.TryParse(m.Role, out var parsed) ? parsed
            : throw new ControllerCodecException($"action_request.role '{Clip(m.Role)}' is not a role");
        var call = m.Call ?? throw new ControllerCodecException("action_request.call is missing");
        var action = call.Action switch
        {
            "start" => AgentAction.Start,
            "stop" => AgentAction.Stop,
            "promote" => AgentAction.Promote,
            "demote" => AgentAction.Demote,
            "monitor" => AgentAction.Monitor,
            "notify" => AgentAction.Notify,
            _ => throw new ControllerCodecException($"action_request.call.action '{Clip(call.Action)}' is not an agent action the DC sends"),
        };
        if ((action == AgentAction.Notify) != (call.Notification is not null))
        {
            throw new ControllerCodecException("action_request.call.notification must be given for a notify action, and only for one");
        }

        var agentCall = new AgentCall(
            Name(call.Resource, "call.resource"),
            Name(call.Agent, "call.agent"),
            action,
            Map(call.Parameters, "call.parameters"),
            Map(call.Meta, "call.meta"),
            Milliseconds(call.TimeoutMs, "call.timeout_ms", min: 1),
            Milliseconds(call.IntervalMs, "call.interval_ms", min: 0),
            call.CheckLevel is >= 0 and <= 1000 ? call.CheckLevel : throw new ControllerCodecException($"call.check_level {call.CheckLevel} is out of range"))
        {
            Notification = call.Notification is { } notification ? FromWire(notification) : null,
        };
        return new ActionRequest(m.TransitionId, Name(m.ActionId, "action_request.action_id"), agentCall, op, role, m.Fatal, m.RingSeq);
    }

    private static OperationRecord FromWire(OperationEntry e, string node) => new(
        Name(e.Resource, "operation.resource"),
        node,
        e.Operation is "start" or "stop" or "promote" or "demote" or "monitor" or "notify"
            ? e.Operation
            : throw new ControllerCodecException($"operation.operation '{Clip(e.Operation)}' is not an operation"),
        new Duration((long)Milliseconds(e.IntervalMs, "operation.interval_ms", min: 0).TotalMilliseconds),
        e.Rc is >= 0 and <= 255 ? e.Rc : throw new ControllerCodecException($"operation.rc {e.Rc} is out of range"),
        e.CallId is > 0 and <= int.MaxValue ? (int)e.CallId : throw new ControllerCodecException($"operation.call_id {e.CallId} is out of range"),
        e.OpStatus is >= -1 and <= 16 ? e.OpStatus : throw new ControllerCodecException($"operation.op_status {e.OpStatus} is out of range"),
        e.LastRcChangeMs is > 0 and < 253402300799000 ? DateTimeOffset.FromUnixTimeMilliseconds(e.LastRcChangeMs) : null,
        e.ExecMs is >= 0 and <= int.MaxValue ? new Duration(e.ExecMs) : null);

    private static NodeAttributeSet FromWire(Wire.NodeAttributes m, string field) =>
        new(m.Serial, Map(m.Values, field + ".values").ToImmutableSortedDictionary(StringComparer.Ordinal));
}
