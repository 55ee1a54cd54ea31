namespace ClusterD.ResourceManager.Configuration;

/// <summary>Reads the words of one statement; running out or a wrong word throws <see cref="CrmSyntaxException"/>.</summary>
internal sealed class TokenCursor(CrmStatement statement)
{
    private int _index;

    public bool AtEnd => _index >= statement.Tokens.Count;

    public CrmToken? Peek() => AtEnd ? null : statement.Tokens[_index];

    public CrmToken? PeekAt(int offset) => _index + offset < statement.Tokens.Count ? statement.Tokens[_index + offset] : null;

    /// <summary>Just after the last word read, where "expected ..." errors at the end of the statement point.</summary>
    public SourcePos EndPos => _index == 0 ? statement.Keyword.At : statement.Tokens[_index - 1].End;

    public CrmToken Next(string expected)
    {
        if (AtEnd)
        {
            throw new CrmSyntaxException(EndPos, $"expected {expected} after '{statement.Tokens[^1].Text}', but the statement ends");
        }

        return statement.Tokens[_index++];
    }

    /// <summary>The next word, which must not be a name=value pair.</summary>
    public CrmToken NextWord(string expected)
    {
        var token = Next(expected);
        if (token.IsNameValue)
        {
            throw new CrmSyntaxException(token.At, $"expected {expected}, found '{token.Text}'");
        }

        return token;
    }

    public bool TryWord(string word)
    {
        if (Peek() is { } t && t.IsWord(word))
        {
            _index++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes name=value pairs while they come; <c>$id=</c>/<c>$id-ref=</c> are skipped (ids of attribute sets carry no meaning here).</summary>
    public List<SourceAttribute> NameValues()
    {
        var list = new List<SourceAttribute>();
        while (Peek() is { IsNameValue: true } t)
        {
            _index++;
            if (t.Name is "$id" or "$id-ref")
            {
                continue;
            }

            list.Add(t.ToAttribute());
        }

        return list;
    }

    public void ExpectEnd(string expected)
    {
        if (Peek() is { } t)
        {
            throw new CrmSyntaxException(t.At, $"expected {expected}, found '{t.Text}'");
        }
    }
}
