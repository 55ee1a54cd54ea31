namespace ClusterD.Agents.Native.Mysql;

/// <summary>
/// A <c>database.table</c> name from a parameter, checked to plain identifier characters so it can
/// be quoted with backticks into a statement (parameters of a statement cannot name a table).
/// </summary>
internal sealed record QualifiedTable(string Database, string Table)
{
    /// <summary>The name quoted for SQL: <c>`db`.`table`</c>.</summary>
    public string Quoted => $"`{Database}`.`{Table}`";

    public override string ToString() => $"{Database}.{Table}";

    /// <summary>Empty text is "no table" (true, null); anything else must be <c>db.table</c> of [A-Za-z0-9_$].</summary>
    public static bool TryParse(string text, string parameter, out QualifiedTable? table, out string problem)
    {
        table = null;
        problem = "";
        if (text.Length == 0)
        {
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 2 || !IsIdentifier(parts[0]) || !IsIdentifier(parts[1]))
        {
            problem = $"{parameter} '{text}' must be database.table, each of letters, digits, '_' or '$' (at most 64)";
            return false;
        }

        table = new QualifiedTable(parts[0], parts[1]);
        return true;
    }

    private static bool IsIdentifier(string part) =>
        part.Length is > 0 and <= 64 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
}
