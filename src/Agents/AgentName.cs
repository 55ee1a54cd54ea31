using System.Diagnostics.CodeAnalysis;

namespace ClusterD.Agents;

/// <summary>
/// A parsed agent name: <c>ocf:PROVIDER:TYPE</c>, <c>lsb:NAME</c>, <c>systemd:UNIT</c>, or
/// <c>clusterd:TYPE</c> (shorthand for <c>ocf:clusterd:TYPE</c>, the native agents' own
/// provider). A leading <c>script:</c> (<c>script:ocf:heartbeat:Dummy</c>) forces the script
/// agent even where a native agent is registered for the name (see <c>AgentResolver</c>).
/// </summary>
/// <remarks>
/// Class names are case-insensitive and canonicalised to lower case; provider, type and unit
/// are file or unit names and kept as written. They may not contain <c>/</c>, whitespace or
/// control characters, nor be <c>.</c> or <c>..</c>, because they become paths.
/// </remarks>
public sealed record AgentName
{
    /// <summary>The prefix that forces the script agent.</summary>
    public const string ScriptPrefix = "script:";

    /// <summary>The OCF provider under which native agents live.</summary>
    public const string NativeProvider = "clusterd";

    private AgentName(AgentClass agentClass, string? provider, string type, bool scriptOnly)
    {
        Class = agentClass;
        Provider = provider;
        Type = type;
        ScriptOnly = scriptOnly;
    }

    /// <summary>ocf, lsb or systemd.</summary>
    public AgentClass Class { get; }

    /// <summary>The OCF provider (<c>heartbeat</c>, <c>pacemaker</c>, <c>linbit</c>, <c>clusterd</c>); null for lsb and systemd.</summary>
    public string? Provider { get; }

    /// <summary>The OCF type, the LSB script name, or the systemd unit.</summary>
    public string Type { get; }

    /// <summary>True when written with the <c>script:</c> prefix: never resolve to a native agent.</summary>
    public bool ScriptOnly { get; }

    /// <summary>The name without the <c>script:</c> prefix, the key native agents register under.</summary>
    public string Key => Class switch
    {
        AgentClass.Ocf => $"ocf:{Provider}:{Type}",
        AgentClass.Lsb => $"lsb:{Type}",
        _ => $"systemd:{Type}",
    };

    /// <summary>An OCF name.</summary>
    public static AgentName Ocf(string provider, string type) => Parse($"ocf:{provider}:{type}");

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AgentName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what is expected.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out AgentName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty agent name; expected ocf:PROVIDER:TYPE, lsb:NAME, systemd:UNIT or clusterd:TYPE";
            return false;
        }

        var rest = text.Trim();
        var scriptOnly = rest.StartsWith(ScriptPrefix, StringComparison.OrdinalIgnoreCase);
        if (scriptOnly)
        {
            rest = rest[ScriptPrefix.Length..];
        }

        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            error = $"agent name '{text}' has no class; expected ocf:PROVIDER:TYPE, lsb:NAME, systemd:UNIT or clusterd:TYPE";
            return false;
        }

        var agentClass = rest[..colon].ToLowerInvariant();
        var body = rest[(colon + 1)..];
        switch (agentClass)
        {
            case "ocf":
                var parts = body.Split(':');
                if (parts.Length != 2)
                {
                    error = $"agent name '{text}': an OCF agent is ocf:PROVIDER:TYPE (e.g. ocf:heartbeat:Dummy)";
                    return false;
                }

                return Build(text, AgentClass.Ocf, parts[0], parts[1], scriptOnly, out name, out error);
            case NativeProvider:
                if (scriptOnly)
                {
                    error = $"agent name '{text}': clusterd agents are native only, there is no script to force";
                    return false;
                }

                if (body.Contains(':', StringComparison.Ordinal))
                {
                    error = $"agent name '{text}': a clusterd agent is clusterd:TYPE (e.g. clusterd:probe-port)";
                    return false;
                }

                return Build(text, AgentClass.Ocf, NativeProvider, body, scriptOnly: false, out name, out error);
            case "lsb":
                return Build(text, AgentClass.Lsb, null, body, scriptOnly, out name, out error);
            case "systemd":
                // Unit names may contain ':' (escaped paths), so everything after the class is the unit.
                return Build(text, AgentClass.Systemd, null, body, scriptOnly, out name, out error);
            default:
                error = $"agent name '{text}': unknown class '{rest[..colon]}'; expected ocf, lsb, systemd or clusterd";
                return false;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => ScriptOnly ? ScriptPrefix + Key : Key;

    private static bool Build(
        string text, AgentClass agentClass, string? provider, string type, bool scriptOnly,
        [NotNullWhen(true)] out AgentName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (provider is not null && !IsSafePart(provider, isUnit: false))
        {
            error = $"agent name '{text}': provider '{provider}' must be a plain file name (no '/', spaces, '.' or '..')";
            return false;
        }

        // systemd unit names carry '\x2d'-style escapes and ':' (systemd.unit(5)); file names do not.
        if (!IsSafePart(type, isUnit: agentClass == AgentClass.Systemd))
        {
            var what = agentClass switch { AgentClass.Ocf => "type", AgentClass.Lsb => "script name", _ => "unit" };
            error = $"agent name '{text}': {what} '{type}' must be a plain file name (no '/', spaces, '.' or '..')";
            return false;
        }

        error = null;
        name = new AgentName(agentClass, provider, type, scriptOnly);
        return true;
    }

    private static bool IsSafePart(string part, bool isUnit) =>
        part.Length > 0 && part != "." && part != ".."
        && !part.Any(c => c == '/' || ((c == '\\' || c == ':') && !isUnit) || char.IsWhiteSpace(c) || char.IsControl(c));
}
