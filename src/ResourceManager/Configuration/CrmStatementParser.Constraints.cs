namespace ClusterD.ResourceManager.Configuration;

/// <summary>location (with rules), colocation, order.</summary>
internal sealed partial class CrmStatementParser
{
    /// <summary><c>location ID RSC [role=ROLE] {SCORE: NODE | rule ...} [resource-discovery=always|never|exclusive]</c>.</summary>
    private void Location(TokenCursor cursor)
    {
        var id = DeclareId(cursor, "location constraint");
        var what = $"location '{id}'";
        var rsc = cursor.NextWord("the resource the location applies to");
        RejectSet(rsc, what);
        if (rsc.Text.StartsWith('/') && !rsc.Quoted)
        {
            throw new CrmSyntaxException(rsc.At, "resource patterns (rsc-pattern) are not supported by clusterd");
        }

        ResourceRole? role = null;
        if (cursor.Peek() is { IsNameValue: true } roleToken && roleToken.Name is "role" or "$role")
        {
            cursor.Next("a role");
            role = ParseRole(roleToken.Value, roleToken.ValueAt);
        }

        builder.Reference(rsc.Text, rsc.At, ConfigBuilder.ReferenceKind.Constraint, what, role);

        var score = Score.Zero;
        string? node = null;
        var rules = new List<LocationRule>();
        if (cursor.Peek() is { } r && r.IsWord("rule"))
        {
            while (cursor.TryWord("rule"))
            {
                rules.Add(Rule(cursor, what, rsc.Text));
            }
        }
        else
        {
            var scoreToken = cursor.NextWord("'SCORE: NODE' or 'rule'");
            if (!scoreToken.Text.EndsWith(':') || scoreToken.Quoted)
            {
                throw new CrmSyntaxException(scoreToken.At, $"expected 'SCORE: NODE' or 'rule' in {what}, found '{scoreToken.Text}'");
            }

            score = ParseScore(scoreToken.Text[..^1], scoreToken.At);
            var nodeToken = cursor.NextWord("a node name");
            if (!AttributeRules.IsValidNodeName(nodeToken.Text))
            {
                throw new CrmSyntaxException(nodeToken.At, $"'{nodeToken.Text}' is not a valid node name");
            }

            node = nodeToken.Text;
        }

        ResourceDiscovery? discovery = null;
        if (cursor.Peek() is { IsNameValue: true } d && d.Name == "resource-discovery")
        {
            cursor.Next("resource-discovery");
            discovery = AttributeRules.TryParseDiscovery(d.Value, out var parsed)
                ? parsed
                : throw new CrmSyntaxException(d.ValueAt, $"resource-discovery '{d.Value}' is not one of always, never, exclusive");
        }

        cursor.ExpectEnd($"the end of {what}");
        builder.Add(new LocationConstraint(id, rsc.Text, score, node, [.. rules], role, discovery));
    }

    /// <summary><c>rule [$id=ID] [$role=ROLE] SCORE|ATTRIBUTE: EXPR [and|or EXPR]...</c>.</summary>
    private LocationRule Rule(TokenCursor cursor, string what, string rsc)
    {
        ResourceRole? role = null;
        while (cursor.Peek() is { IsNameValue: true } t)
        {
            cursor.Next("a rule option");
            switch (t.Name)
            {
                case "$id" or "id":
                    break;
                case "$role" or "role":
                    role = ParseRole(t.Value, t.ValueAt);
                    builder.RoleReference(rsc, t.At, what, role.Value);
                    break;
                case "$id-ref":
                    throw new CrmSyntaxException(t.At, "rule references ($id-ref) are not supported: write the rule out");
                default:
                    throw new CrmSyntaxException(t.At, $"expected a rule score ('SCORE:'), found '{t.Text}'");
            }
        }

        var scoreToken = cursor.NextWord("a rule score ('SCORE:' or 'ATTRIBUTE:')");
        if (!scoreToken.Text.EndsWith(':') || scoreToken.Quoted || scoreToken.Text.Length < 2)
        {
            throw new CrmSyntaxException(scoreToken.At, $"expected a rule score ('SCORE:' or 'ATTRIBUTE:'), found '{scoreToken.Text}'");
        }

        var scoreText = scoreToken.Text[..^1];
        var score = Score.Zero;
        string? scoreAttribute = null;
        if (!Score.TryParse(scoreText, out score))
        {
            scoreAttribute = AttributeRules.IsValidAttributeName(scoreText) && !scoreText.Contains(':', StringComparison.Ordinal)
                ? scoreText
                : throw new CrmSyntaxException(scoreToken.At, $"'{scoreText}' is neither a score nor a node attribute name");
        }

        var expressions = new List<RuleExpression>();
        BooleanOperator? op = null;
        while (true)
        {
            expressions.Add(Expression(cursor));
            if (cursor.Peek() is not { } next || next.IsWord("rule") || next.IsNameValue)
            {
                break;
            }

            cursor.Next("'and' or 'or'");
            var thisOp = next.IsWord("and") ? BooleanOperator.And
                : next.IsWord("or") ? BooleanOperator.Or
                : throw new CrmSyntaxException(next.At, $"expected 'and', 'or', 'rule' or the end of {what}, found '{next.Text}'");
            if (op is { } previous && previous != thisOp)
            {
                throw new CrmSyntaxException(next.At, "a rule joins its expressions with one operator, but 'and' and 'or' are mixed here: split it into several rules");
            }

            op = thisOp;
        }

        return new LocationRule(score, [.. expressions], op ?? BooleanOperator.And, scoreAttribute, role);
    }

    /// <summary><c>defined ATTR</c> | <c>not_defined ATTR</c> | <c>ATTR [TYPE:]OP VALUE</c>.</summary>
    private static RuleExpression Expression(TokenCursor cursor)
    {
        var first = cursor.NextWord("an expression (defined ATTR, not_defined ATTR or ATTR OP VALUE)");
        if (first.IsWord("defined") || first.IsWord("not_defined"))
        {
            var attribute = AttributeName(cursor.NextWord("a node attribute name"));
            return new RuleExpression(attribute, first.Text == "defined" ? RuleOperator.Defined : RuleOperator.NotDefined);
        }

        if (first.IsWord("date"))
        {
            throw new CrmSyntaxException(first.At, "date expressions are not supported by clusterd");
        }

        if (first.Text.StartsWith('(') && !first.Quoted)
        {
            throw new CrmSyntaxException(first.At, "parentheses in rules are not supported: split the rule into several rules");
        }

        var name = AttributeName(first);
        var opToken = cursor.NextWord("an operator (eq, ne, lt, gt, lte, gte)");
        var opText = opToken.Text;
        RuleValueType? type = null;
        var colon = opText.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            type = AttributeRules.TryParseValueType(opText[..colon], out var t)
                ? t
                : throw new CrmSyntaxException(opToken.At, $"'{opText[..colon]}' is not a value type (string, integer, number, version)");
            opText = opText[(colon + 1)..];
        }

        if (!AttributeRules.TryParseRuleOperator(opText, out var op) || op is RuleOperator.Defined or RuleOperator.NotDefined)
        {
            throw new CrmSyntaxException(opToken.PosOf(colon + 1), $"'{opText}' is not an operator (eq, ne, lt, gt, lte, gte)");
        }

        var value = cursor.Next($"a value to compare '{name}' with");
        return new RuleExpression(name, op, value.Text, type);
    }

    private static string AttributeName(CrmToken token) =>
        AttributeRules.IsValidAttributeName(token.Text)
            ? token.Text
            : throw new CrmSyntaxException(token.At, $"'{token.Text}' is not a valid node attribute name");

    /// <summary><c>colocation ID SCORE: RSC[:ROLE] WITH-RSC[:ROLE] [node-attribute=ATTR]</c>.</summary>
    private void Colocation(TokenCursor cursor)
    {
        var id = DeclareId(cursor, "colocation constraint");
        var what = $"colocation '{id}'";
        var scoreToken = cursor.NextWord("a score followed by ':' (e.g. inf:)");
        if (!scoreToken.Text.EndsWith(':') || scoreToken.Quoted)
        {
            throw new CrmSyntaxException(scoreToken.At, $"expected a score followed by ':' (e.g. inf:) in {what}, found '{scoreToken.Text}'");
        }

        var score = ParseScore(scoreToken.Text[..^1], scoreToken.At);
        var parts = new List<(string Id, ResourceRole? Role, CrmToken Token)>();
        string? nodeAttribute = null;
        while (cursor.Peek() is { } t)
        {
            cursor.Next("a resource");
            if (t.IsNameValue)
            {
                nodeAttribute = t.Name == "node-attribute"
                    ? t.Value
                    : throw new CrmSyntaxException(t.At, $"expected a resource or node-attribute= in {what}, found '{t.Text}'");
                continue;
            }

            RejectSet(t, what);
            var (rsc, suffix, suffixAt) = SplitSuffix(t);
            parts.Add((rsc, suffix is null ? null : ParseRole(suffix, suffixAt), t));
        }

        if (parts.Count != 2)
        {
            throw new CrmSyntaxException(
                parts.Count > 2 ? parts[2].Token.At : cursor.EndPos,
                parts.Count > 2
                    ? $"{what} lists more than two resources; resource sets are not supported: write one colocation per pair"
                    : $"expected two resources in {what} (RSC WITH-RSC)");
        }

        foreach (var (rsc, role, token) in parts)
        {
            builder.Reference(rsc, token.At, ConfigBuilder.ReferenceKind.Constraint, what, role);
        }

        builder.NotSelf(parts[0].Id, parts[1].Id, parts[1].Token.At, what);
        builder.Add(new ColocationConstraint(id, score, parts[0].Id, parts[1].Id, parts[0].Role, parts[1].Role, nodeAttribute));
    }

    /// <summary><c>order ID [KIND|SCORE:] FIRST[:ACTION] THEN[:ACTION] [symmetrical=BOOL]</c>.</summary>
    private void Order(TokenCursor cursor)
    {
        var id = DeclareId(cursor, "order constraint");
        var what = $"order '{id}'";
        OrderKind? kind = null;
        Score? score = null;
        if (cursor.Peek() is { IsNameValue: false, Quoted: false } k && k.Text.EndsWith(':') && k.Text.Length > 1)
        {
            cursor.Next("a kind");
            var text = k.Text[..^1];
            if (AttributeRules.TryParseOrderKind(text, out var parsedKind))
            {
                kind = parsedKind;
            }
            else
            {
                score = Score.TryParse(text, out var s)
                    ? s
                    : throw new CrmSyntaxException(k.At, $"'{text}' is neither an order kind (Mandatory, Optional, Serialize) nor a score");
            }
        }

        var parts = new List<(string Id, ResourceAction? Action, CrmToken Token)>();
        bool? symmetrical = null;
        while (cursor.Peek() is { } t)
        {
            cursor.Next("a resource");
            if (t.IsNameValue)
            {
                symmetrical = t.Name == "symmetrical"
                    ? AttributeValues.TryParseBool(t.Value, out var b) ? b : throw new CrmSyntaxException(t.ValueAt, $"symmetrical '{t.Value}' is not a boolean")
                    : throw new CrmSyntaxException(t.At, $"expected a resource or symmetrical= in {what}, found '{t.Text}'");
                continue;
            }

            RejectSet(t, what);
            var (rsc, suffix, suffixAt) = SplitSuffix(t);
            ResourceAction? action = null;
            if (suffix is not null)
            {
                action = AttributeRules.TryParseAction(suffix, out var a)
                    ? a
                    : throw new CrmSyntaxException(suffixAt, $"'{suffix}' is not an action (start, stop, promote, demote)");
            }

            parts.Add((rsc, action, t));
        }

        if (parts.Count != 2)
        {
            throw new CrmSyntaxException(
                parts.Count > 2 ? parts[2].Token.At : cursor.EndPos,
                parts.Count > 2
                    ? $"{what} lists more than two resources; resource sets are not supported: write one order per pair"
                    : $"expected two resources in {what} (FIRST THEN)");
        }

        foreach (var (rsc, action, token) in parts)
        {
            builder.Reference(rsc, token.At, ConfigBuilder.ReferenceKind.Constraint, what, action: action);
        }

        builder.NotSelf(parts[0].Id, parts[1].Id, parts[1].Token.At, what);
        builder.Add(new OrderConstraint(id, parts[0].Id, parts[1].Id, parts[0].Action, parts[1].Action, kind, score, symmetrical));
    }
}
