namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// One word of a crm statement with quotes and escapes removed. <see cref="EqualsIndex"/> is the
/// first '=' outside quotes (-1 if none), so <c>name="a b"</c> is a name/value pair and <c>"a=b"</c> is not.
/// </summary>
internal sealed record CrmToken(string Text, int Line, int Column, int Length, bool Quoted, int EqualsIndex, int ValueColumn)
{
    public SourcePos At => new(Line, Column);

    public SourcePos ValueAt => new(Line, ValueColumn);

    /// <summary>Just after the token, for "expected ... after" errors at the end of a statement.</summary>
    public SourcePos End => new(Line, Column + Length);

    public bool IsNameValue => EqualsIndex > 0;

    public string Name => Text[..EqualsIndex];

    public string Value => Text[(EqualsIndex + 1)..];

    /// <summary>An unquoted keyword such as <c>params</c>.</summary>
    public bool IsWord(string word) => !Quoted && EqualsIndex < 0 && string.Equals(Text, word, StringComparison.Ordinal);

    public SourceAttribute ToAttribute() => new(Name, Value, At, ValueAt);

    /// <summary>The position of a character of <see cref="Text"/> (exact for unquoted words).</summary>
    public SourcePos PosOf(int index) => new(Line, Column + Math.Min(index, Math.Max(0, Length - 1)));
}

/// <summary>A logical crm statement: its words, joined across '\' continuation lines.</summary>
internal sealed record CrmStatement(IReadOnlyList<CrmToken> Tokens)
{
    public CrmToken Keyword => Tokens[0];
}
