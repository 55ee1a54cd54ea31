using ClusterD.ResourceManager.Files;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Reads crm shell <c>configure</c> syntax (what <c>crm configure show</c> prints and
/// <c>crm configure load</c> reads) into a <see cref="ClusterConfig"/>. Pure except
/// <see cref="ParseFile"/>. Every statement is read even after an error, then the whole file is
/// validated; the result holds a configuration only when there was no error. See docs/resource-config.md.
/// </summary>
public static class CrmParser
{
    /// <summary>Refuse larger files: a resource configuration is kilobytes, not megabytes.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    public static ConfigParseResult Parse(string text, string fileName = "<input>") => ParseInterruptible(text, fileName, CancellationToken.None);

    /// <summary>
    /// As <see cref="Parse(string, string)"/>, throwing <see cref="OperationCanceledException"/> once
    /// <paramref name="cancellationToken"/> is cancelled (checked per line and per statement).
    /// </summary>
    public static ConfigParseResult ParseInterruptible(string text, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var builder = new ConfigBuilder(fileName, cancellationToken);
        if (text.Length > MaxFileBytes)
        {
            builder.Error(new SourcePos(0, 0), $"the configuration is larger than {MaxFileBytes} bytes");
            return builder.Build();
        }

        var statements = CrmLexer.Split(text, builder);
        var parser = new CrmStatementParser(builder);
        foreach (var statement in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                parser.Parse(new TokenCursor(statement));
            }
            catch (CrmSyntaxException e)
            {
                builder.Error(e.At, e.Message);
            }
        }

        return builder.Build();
    }

    /// <summary>Reads and parses a file; an unreadable, oversized or non-regular file is reported as an error, not thrown.</summary>
    public static ConfigParseResult ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return BoundedFile.TryReadText(path, InputFileKind.Configuration, out var text, out var error)
            ? Parse(text, path)
            : Failed(path, error);
    }

    private static ConfigParseResult Failed(string path, string message) =>
        new(null, [new ConfigDiagnostic(path, 0, 0, message)], []);
}
