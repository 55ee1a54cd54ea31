using System.Text.Json.Serialization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Which agent runs a primitive: <c>class:provider:type</c> for OCF (<c>ocf:heartbeat:Filesystem</c>),
/// <c>class:type</c> for the others (<c>lsb:mysql</c>, <c>systemd:mariadb</c>, <c>stonith:fence_azure_arm</c>,
/// <c>stonith:external/azure</c>).
/// </summary>
[JsonConverter(typeof(AgentSpecJsonConverter))]
public sealed record AgentSpec(string Class, string? Provider, string Type)
{
    /// <summary>The classes Pacemaker knows; only <c>ocf</c> has a provider.</summary>
    public static readonly IReadOnlyList<string> KnownClasses = ["ocf", "lsb", "systemd", "service", "stonith", "nagios", "upstart"];

    public bool IsStonith => Class == "stonith";

    public static bool TryParse(string? text, out AgentSpec? agent, out string? problem)
    {
        agent = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "expected an agent such as ocf:heartbeat:Filesystem or lsb:mysql";
            return false;
        }

        var parts = text.Split(':');
        var cls = parts[0].ToLowerInvariant();
        if (!KnownClasses.Contains(cls))
        {
            problem = $"unknown agent class '{parts[0]}' (expected one of {string.Join(", ", KnownClasses)})";
            return false;
        }

        if (cls == "ocf")
        {
            if (parts.Length != 3 || !IsPart(parts[1]) || !IsPart(parts[2]))
            {
                problem = $"'{text}': an OCF agent is written ocf:provider:type";
                return false;
            }

            agent = new AgentSpec(cls, parts[1], parts[2]);
            return true;
        }

        if (parts.Length != 2 || !IsPart(parts[1]))
        {
            problem = $"'{text}': a {cls} agent is written {cls}:type";
            return false;
        }

        agent = new AgentSpec(cls, null, parts[1]);
        return true;
    }

    public static AgentSpec Parse(string text) =>
        TryParse(text, out var agent, out var problem) ? agent! : throw new FormatException(problem);

    public override string ToString() => Provider is null ? $"{Class}:{Type}" : $"{Class}:{Provider}:{Type}";

    private static bool IsPart(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '@');
}
