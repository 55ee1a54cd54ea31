using System.Globalization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>Typed reading of attribute values the way Pacemaker reads them.</summary>
public static class AttributeValues
{
    /// <summary>Pacemaker's <c>crm_str_to_boolean</c>: true/on/yes/y/1 and false/off/no/n/0, any case.</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true" or "on" or "yes" or "y" or "1":
                value = true;
                return true;
            case "false" or "off" or "no" or "n" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A non-negative integer such as <c>clone-max</c>.</summary>
    public static bool TryParseCount(string? text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool? GetBool(this AttributeMap map, string name) =>
        map.TryGetValue(name, out var text) && TryParseBool(text, out var value) ? value : null;

    public static int? GetCount(this AttributeMap map, string name) =>
        map.TryGetValue(name, out var text) && TryParseCount(text, out var value) ? value : null;

    public static Score? GetScore(this AttributeMap map, string name) =>
        map.TryGetValue(name, out var text) && Score.TryParseValue(text, out var value) ? value : null;

    public static Duration? GetDuration(this AttributeMap map, string name) =>
        map.TryGetValue(name, out var text) && Duration.TryParse(text, out var value) ? value : null;

    public static ResourceRole? GetRole(this AttributeMap map, string name) =>
        map.TryGetValue(name, out var text) && ResourceRoles.TryParse(text, out var value) ? value : null;
}
