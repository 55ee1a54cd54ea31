namespace ClusterD.ResourceManager.Configuration;

/// <summary>Parses one crm statement at a time into the <see cref="ConfigBuilder"/>.</summary>
internal sealed partial class CrmStatementParser(ConfigBuilder builder)
{
    private const string Statements = "node, primitive, group, clone, ms, location, colocation, order, property, rsc_defaults or op_defaults";

    public void Parse(TokenCursor cursor)
    {
        var keyword = cursor.Next("a statement");
        switch (keyword.Text)
        {
            case "node":
                Node(cursor);
                break;
            case "primitive":
                Primitive(cursor);
                break;
            case "group":
                Group(cursor);
                break;
            case "clone":
                Clone(cursor, keyword, promotable: false);
                break;
            case "ms" or "master":
                Clone(cursor, keyword, promotable: true);
                break;
            case "location":
                Location(cursor);
                break;
            case "colocation" or "collocation":
                Colocation(cursor);
                break;
            case "order":
                Order(cursor);
                break;
            case "property":
                foreach (var a in OptionList(cursor, "property"))
                {
                    builder.Property(a);
                }

                break;
            case "rsc_defaults":
                foreach (var a in OptionList(cursor, "rsc_defaults"))
                {
                    builder.ResourceDefault(a);
                }

                break;
            case "op_defaults":
                foreach (var a in OptionList(cursor, "op_defaults"))
                {
                    builder.OperationDefault(a);
                }

                break;
            case "tag" or "role" or "user" or "acl_target" or "alert":
                builder.Warn(keyword.At, $"'{keyword.Text}' statements are ignored by clusterd");
                break;
            case "rsc_template" or "rsc_ticket" or "fencing_topology" or "bundle" or "xml" or "monitor":
                throw new CrmSyntaxException(keyword.At, $"'{keyword.Text}' is not supported by clusterd (expected {Statements})");
            default:
                throw new CrmSyntaxException(keyword.At, $"unknown statement '{keyword.Text}' (expected {Statements})");
        }
    }

    /// <summary><c>property [$id=SET] [SET:] name=value ...</c>, the same for rsc_defaults and op_defaults.</summary>
    private static List<SourceAttribute> OptionList(TokenCursor cursor, string what)
    {
        var list = new List<SourceAttribute>();
        var setIdAllowed = true;
        while (!cursor.AtEnd)
        {
            list.AddRange(cursor.NameValues());
            if (cursor.Peek() is { } t)
            {
                // "rsc_defaults $id=x x: a=b": an attribute set id, meaningless here.
                if (setIdAllowed && list.Count == 0 && !t.Quoted && t.Text.EndsWith(':'))
                {
                    cursor.Next("a set id");
                    setIdAllowed = false;
                    continue;
                }

                throw new CrmSyntaxException(t.At, $"expected name=value in {what}, found '{t.Text}'");
            }
        }

        if (list.Count == 0)
        {
            throw new CrmSyntaxException(cursor.EndPos, $"expected name=value after '{what}'");
        }

        return list;
    }

    /// <summary><c>RSC[:SUFFIX]</c> as used by colocation (role) and order (action).</summary>
    private static (string Id, string? Suffix, SourcePos SuffixAt) SplitSuffix(CrmToken token)
    {
        var colon = token.Text.LastIndexOf(':');
        if (colon <= 0 || colon == token.Text.Length - 1)
        {
            return (token.Text, null, token.At);
        }

        return (token.Text[..colon], token.Text[(colon + 1)..], token.PosOf(colon + 1));
    }

    private static void RejectSet(CrmToken token, string what)
    {
        if (token.Text.Length > 0 && token.Text[0] is '(' or '[' or '{' && !token.Quoted)
        {
            throw new CrmSyntaxException(token.At, $"resource sets are not supported in {what}: write one constraint per pair of resources");
        }
    }

    private static ResourceRole ParseRole(string text, SourcePos at) =>
        ResourceRoles.TryParse(text, out var role)
            ? role
            : throw new CrmSyntaxException(at, $"'{text}' is not a role ({ResourceRoles.Expected})");

    private static Score ParseScore(string text, SourcePos at) =>
        Score.TryParse(text, out var score)
            ? score
            : throw new CrmSyntaxException(at, $"'{text}' is not a score (an integer, inf, -inf, INFINITY or -INFINITY)");

    private string DeclareId(TokenCursor cursor, string kind)
    {
        // A bad or duplicate id is reported by Declare; the statement is still read for further errors.
        var id = cursor.NextWord($"a {kind} id");
        builder.Declare(id.Text, kind, id.At);
        return id.Text;
    }
}
