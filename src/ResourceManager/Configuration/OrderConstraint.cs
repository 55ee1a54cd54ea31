using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// <c>order ID [KIND|SCORE:] FIRST[:ACTION] THEN[:ACTION] [symmetrical=BOOL]</c>. The fields keep what
/// was written (null when omitted); the <c>Effective*</c> properties apply Pacemaker's defaults:
/// first action <c>start</c>, then action the same as the first, kind Mandatory unless a score of 0
/// makes it Optional, symmetrical unless Serialize.
/// </summary>
public sealed record OrderConstraint(
    string Id,
    string First,
    string Then,
    ResourceAction? FirstAction = null,
    ResourceAction? ThenAction = null,
    OrderKind? Kind = null,
    Score? Score = null,
    bool? Symmetrical = null)
{
    [JsonIgnore]
    public ResourceAction EffectiveFirstAction => FirstAction ?? ResourceAction.Start;

    [JsonIgnore]
    public ResourceAction EffectiveThenAction => ThenAction ?? EffectiveFirstAction;

    /// <summary>The kind, or from the deprecated score: 0 is Optional, anything else Mandatory.</summary>
    [JsonIgnore]
    public OrderKind EffectiveKind => Kind ?? (Score is { Value: 0 } ? OrderKind.Optional : OrderKind.Mandatory);

    [JsonIgnore]
    public bool IsSymmetrical => Symmetrical ?? EffectiveKind != OrderKind.Serialize;
}
