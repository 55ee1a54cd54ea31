namespace ClusterD.Membership.Configuration;

/// <summary>A configuration error that names the file, the line and the key.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, int line, string key, string problem)
        : base(Format(file, line, key, problem))
    {
        File = file;
        Line = line;
        Key = key;
        Problem = problem;
    }

    public string File { get; }

    public int Line { get; }

    public string Key { get; }

    public string Problem { get; }

    internal static string Format(string file, int line, string key, string problem) =>
        line > 0 ? $"{file}:{line}: {key}: {problem}" : $"{file}: {key}: {problem}";
}
