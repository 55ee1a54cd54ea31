using System.Globalization;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>
/// A failed operation to inject: <c>RES:NODE:OP</c> (rc 1, generic error) or <c>RES:NODE:OP:RC</c>
/// with an OCF return code, e.g. <c>mysqld:hadb01:monitor</c>, <c>fs_mysql:hadb01:stop</c>,
/// <c>mysqld:hadb02:start:5</c>.
/// </summary>
public sealed record InjectedFailure(string Resource, string Node, string Operation, int RcCode = 1)
{
    public static readonly IReadOnlyList<string> Operations = ["monitor", "start", "stop", "promote", "demote"];

    public static bool TryParse(string? text, out InjectedFailure? failure, out string error)
    {
        failure = null;
        var parts = (text ?? "").Split(':');
        if (parts.Length is < 3 or > 4 || parts.Take(3).Any(string.IsNullOrWhiteSpace))
        {
            error = $"'{text}' is not RES:NODE:OP or RES:NODE:OP:RC";
            return false;
        }

        if (!Operations.Contains(parts[2], StringComparer.Ordinal))
        {
            error = $"'{parts[2]}' is not an operation ({string.Join(", ", Operations)})";
            return false;
        }

        var rc = 1;
        if (parts.Length == 4 && (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out rc) || rc is < 1 or > 255))
        {
            error = $"'{parts[3]}' is not an OCF return code (1 to 255)";
            return false;
        }

        failure = new InjectedFailure(parts[0], parts[1], parts[2], rc);
        error = "";
        return true;
    }

    public override string ToString() =>
        RcCode == 1 ? $"{Resource}:{Node}:{Operation}" : string.Create(CultureInfo.InvariantCulture, $"{Resource}:{Node}:{Operation}:{RcCode}");
}
