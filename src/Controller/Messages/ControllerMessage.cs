using System.Collections.Immutable;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Execution;
using ClusterD.ResourceManager.Scheduling;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Controller.Messages;

/// <summary>
/// What controllers tell each other over the node-to-node sessions (topic <c>ctl</c>). A closed family:
/// <see cref="ControllerCodec"/> maps each to its protobuf form in <c>proto/peer.proto</c> and back.
/// </summary>
public abstract record ControllerMessage
{
    private protected ControllerMessage()
    {
    }
}

/// <summary>The DC of view <see cref="RingSeq"/> asks a member for its history and attributes (join round <see cref="JoinId"/>).</summary>
public sealed record JoinRequest(ulong JoinId, ulong RingSeq) : ControllerMessage;

/// <summary>A member's answer to a join: its whole operation history and its own attributes.</summary>
public sealed record JoinReply(ulong JoinId, ImmutableArray<OperationRecord> History, NodeAttributeSet Attributes) : ControllerMessage;

/// <summary>The DC asks the receiver to run one action of transition <see cref="TransitionId"/>.</summary>
public sealed record ActionRequest(ulong TransitionId, string ActionId, AgentCall Call, TransitionOp Op, ResourceRole? Role, bool Fatal, ulong RingSeq)
    : ControllerMessage;

/// <summary>
/// The result of an action on the sender (<see cref="TransitionId"/> 0: a recurring monitor's result
/// changed), as the sender recorded it in its history. No <see cref="Record"/>: the sender refused to run
/// the action (it does not see the requester as the DC of its current view) and <see cref="Reason"/> says why.
/// </summary>
public sealed record ActionReport(ulong TransitionId, string ActionId, OperationRecord? Record, bool Succeeded, string? Reason) : ControllerMessage;

/// <summary>The sender's own transient attributes, whole.</summary>
public sealed record AttributesUpdate(NodeAttributeSet Attributes) : ControllerMessage;

/// <summary>The sender's configuration (validated by the receiver's parser before it gets here).</summary>
public sealed record ConfigOffer(ClusterConfig Config) : ControllerMessage;

/// <summary>The DC fenced <see cref="Node"/>: its resources may be recovered.</summary>
public sealed record NodeFenced(string Node) : ControllerMessage;

/// <summary>Forget the history and fail counts of <see cref="Resource"/> (every resource when null) on the receiver.</summary>
public sealed record CleanupRequest(string? Resource) : ControllerMessage;
