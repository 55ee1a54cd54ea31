using System.Xml.Linq;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>rsc_location (with rules), rsc_colocation, rsc_order.</summary>
internal sealed partial class CibConfigurationReader
{
    private void Constraint(XElement element)
    {
        switch (element.Name.LocalName)
        {
            case "rsc_location":
                Location(element);
                break;
            case "rsc_colocation":
                Colocation(element);
                break;
            case "rsc_order":
                Order(element);
                break;
            case "rsc_ticket":
                builder.Error(CibXml.Pos(element), "<rsc_ticket> is not supported by clusterd");
                break;
            default:
                builder.Error(CibXml.Pos(element), $"unexpected <{element.Name.LocalName}> in <constraints> (expected rsc_location, rsc_colocation or rsc_order)");
                break;
        }
    }

    private void Location(XElement element)
    {
        var id = Declare(element, "location constraint");
        if (id is null)
        {
            return;
        }

        var what = $"location '{id}'";
        if (element.Attribute("rsc-pattern") is { } pattern)
        {
            builder.Error(CibXml.Pos(pattern), $"{what}: resource patterns (rsc-pattern) are not supported by clusterd");
            return;
        }

        if (!NoSets(element, what) || Required(element, "rsc", what) is not { } rsc)
        {
            return;
        }

        var role = Role(element, "role");
        builder.Reference(rsc, CibXml.AttrPos(element, "rsc"), ConfigBuilder.ReferenceKind.Constraint, what, role);
        ResourceDiscovery? discovery = null;
        if (CibXml.Attr(element, "resource-discovery") is { } d)
        {
            if (AttributeRules.TryParseDiscovery(d, out var parsed))
            {
                discovery = parsed;
            }
            else
            {
                builder.Error(CibXml.AttrPos(element, "resource-discovery"), $"resource-discovery '{d}' is not one of always, never, exclusive");
            }
        }

        var rules = element.Elements("rule").Select(r => Rule(r, rsc, what)).OfType<LocationRule>().ToList();
        var node = CibXml.Attr(element, "node");
        if (node is not null)
        {
            if (!AttributeRules.IsValidNodeName(node))
            {
                builder.Error(CibXml.AttrPos(element, "node"), $"'{node}' is not a valid node name");
            }

            if (element.Elements("rule").Any())
            {
                builder.Error(CibXml.Pos(element), $"{what} has both a node and rules; use one or the other");
            }

            builder.Add(new LocationConstraint(id, rsc, ScoreAttr(element, "score", what) ?? Score.Zero, node, [], role, discovery));
            return;
        }

        if (!element.Elements("rule").Any())
        {
            builder.Error(CibXml.Pos(element), $"{what} needs a node and score, or rules");
            return;
        }

        builder.Add(new LocationConstraint(id, rsc, Score.Zero, null, [.. rules], role, discovery));
    }

    private LocationRule? Rule(XElement ruleOrReference, string rsc, string what)
    {
        if (CibXml.Resolve(ruleOrReference, builder) is not { } rule)
        {
            return null;
        }

        var at = CibXml.Pos(rule);

        var role = Role(rule, "role");
        if (role is { } r)
        {
            builder.RoleReference(rsc, CibXml.AttrPos(rule, "role"), what, r);
        }

        var scoreAttribute = CibXml.Attr(rule, "score-attribute");
        var score = ScoreAttr(rule, "score", what) ?? Score.Zero;
        if (scoreAttribute is not null && rule.Attribute("score") is not null)
        {
            builder.Error(at, $"{what}: a rule has a score or a score-attribute, not both");
        }

        if (scoreAttribute is not null && !AttributeRules.IsValidAttributeName(scoreAttribute))
        {
            builder.Error(CibXml.AttrPos(rule, "score-attribute"), $"'{scoreAttribute}' is not a valid node attribute name");
        }

        var op = BooleanOperator.And;
        if (CibXml.Attr(rule, "boolean-op") is { } boolOp)
        {
            op = boolOp switch
            {
                "and" => BooleanOperator.And,
                "or" => BooleanOperator.Or,
                _ => Invalid(CibXml.AttrPos(rule, "boolean-op"), $"boolean-op '{boolOp}' is not 'and' or 'or'", BooleanOperator.And),
            };
        }

        var expressions = new List<RuleExpression>();
        foreach (var child in rule.Elements())
        {
            var childAt = CibXml.Pos(child);
            switch (child.Name.LocalName)
            {
                case "expression":
                    if (Expression(child, what) is { } e)
                    {
                        expressions.Add(e);
                    }

                    break;
                case "rule":
                    builder.Error(childAt, $"{what}: nested rules are not supported; split them into several rules of the location");
                    break;
                case "date_expression":
                    builder.Error(childAt, $"{what}: date expressions are not supported by clusterd");
                    break;
                default:
                    builder.Error(childAt, $"{what}: unexpected <{child.Name.LocalName}> in a rule");
                    break;
            }
        }

        if (!rule.Elements().Any())
        {
            builder.Error(at, $"{what}: a rule needs at least one <expression>");
        }

        // With one expression the operator means nothing (and crm syntax cannot write it): And.
        return new LocationRule(score, [.. expressions], expressions.Count > 1 ? op : BooleanOperator.And, scoreAttribute, role);
    }

    private RuleExpression? Expression(XElement e, string what)
    {
        var attribute = CibXml.Attr(e, "attribute");
        var operation = CibXml.Attr(e, "operation");
        if (!AttributeRules.IsValidAttributeName(attribute))
        {
            builder.Error(CibXml.AttrPos(e, "attribute"), $"{what}: an expression needs a valid attribute name");
            return null;
        }

        if (!AttributeRules.TryParseRuleOperator(operation, out var op))
        {
            builder.Error(CibXml.AttrPos(e, "operation"), $"{what}: operation '{operation}' is not one of defined, not_defined, eq, ne, lt, gt, lte, gte");
            return null;
        }

        if (e.Attribute("value-source") is { Value: not "literal" } source)
        {
            builder.Error(CibXml.Pos(source), $"{what}: value-source '{source.Value}' is not supported (only literal values)");
            return null;
        }

        RuleValueType? type = null;
        if (CibXml.Attr(e, "type") is { } typeText)
        {
            if (!AttributeRules.TryParseValueType(typeText, out var t))
            {
                builder.Error(CibXml.AttrPos(e, "type"), $"{what}: type '{typeText}' is not one of string, integer, number, version");
                return null;
            }

            type = t;
        }

        var value = CibXml.Attr(e, "value");
        var unary = op is RuleOperator.Defined or RuleOperator.NotDefined;
        if (!unary && value is null)
        {
            builder.Error(CibXml.Pos(e), $"{what}: operation '{operation}' needs a value");
            return null;
        }

        return new RuleExpression(attribute!, op, unary ? null : value, unary ? null : type);
    }

    private void Colocation(XElement element)
    {
        var id = Declare(element, "colocation constraint");
        if (id is null)
        {
            return;
        }

        var what = $"colocation '{id}'";
        if (!NoSets(element, what) || Required(element, "rsc", what) is not { } rsc || Required(element, "with-rsc", what) is not { } with)
        {
            return;
        }

        var rscRole = Role(element, "rsc-role");
        var withRole = Role(element, "with-rsc-role");
        builder.Reference(rsc, CibXml.AttrPos(element, "rsc"), ConfigBuilder.ReferenceKind.Constraint, what, rscRole);
        builder.Reference(with, CibXml.AttrPos(element, "with-rsc"), ConfigBuilder.ReferenceKind.Constraint, what, withRole);
        builder.NotSelf(rsc, with, CibXml.AttrPos(element, "with-rsc"), what);
        if (element.Attribute("score") is null)
        {
            builder.Error(CibXml.Pos(element), $"{what} needs a score");
            return;
        }

        if (ScoreAttr(element, "score", what) is not { } score)
        {
            return;
        }

        builder.Add(new ColocationConstraint(id, score, rsc, with, rscRole, withRole, CibXml.Attr(element, "node-attribute")));
    }

    private void Order(XElement element)
    {
        var id = Declare(element, "order constraint");
        if (id is null)
        {
            return;
        }

        var what = $"order '{id}'";
        if (!NoSets(element, what) || Required(element, "first", what) is not { } first || Required(element, "then", what) is not { } then)
        {
            return;
        }

        var firstAction = Action(element, "first-action");
        var thenAction = Action(element, "then-action");
        builder.Reference(first, CibXml.AttrPos(element, "first"), ConfigBuilder.ReferenceKind.Constraint, what, action: firstAction);
        builder.Reference(then, CibXml.AttrPos(element, "then"), ConfigBuilder.ReferenceKind.Constraint, what, action: thenAction);
        builder.NotSelf(first, then, CibXml.AttrPos(element, "then"), what);
        OrderKind? kind = null;
        if (CibXml.Attr(element, "kind") is { } k)
        {
            kind = AttributeRules.TryParseOrderKind(k, out var parsed)
                ? parsed
                : Invalid<OrderKind?>(CibXml.AttrPos(element, "kind"), $"kind '{k}' is not one of Mandatory, Optional, Serialize", null);
        }

        bool? symmetrical = null;
        if (CibXml.Attr(element, "symmetrical") is { } s)
        {
            symmetrical = AttributeValues.TryParseBool(s, out var b)
                ? b
                : Invalid<bool?>(CibXml.AttrPos(element, "symmetrical"), $"symmetrical '{s}' is not a boolean", null);
        }

        builder.Add(new OrderConstraint(id, first, then, firstAction, thenAction, kind, ScoreAttr(element, "score", what), symmetrical));
    }

    private bool NoSets(XElement element, string what)
    {
        if (element.Element("resource_set") is { } set)
        {
            builder.Error(CibXml.Pos(set), $"{what}: resource sets are not supported; write one constraint per pair of resources");
            return false;
        }

        return true;
    }

    private string? Required(XElement element, string name, string what)
    {
        var value = CibXml.Attr(element, name);
        if (string.IsNullOrEmpty(value))
        {
            builder.Error(CibXml.Pos(element), $"{what} needs a '{name}' attribute");
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    private ResourceRole? Role(XElement element, string name)
    {
        if (CibXml.Attr(element, name) is not { } text)
        {
            return null;
        }

        return ResourceRoles.TryParse(text, out var role)
            ? role
            : Invalid<ResourceRole?>(CibXml.AttrPos(element, name), $"{name} '{text}' is not a role ({ResourceRoles.Expected})", null);
    }

    private ResourceAction? Action(XElement element, string name)
    {
        if (CibXml.Attr(element, name) is not { } text)
        {
            return null;
        }

        return AttributeRules.TryParseAction(text, out var action)
            ? action
            : Invalid<ResourceAction?>(CibXml.AttrPos(element, name), $"{name} '{text}' is not one of start, stop, promote, demote", null);
    }

    private Score? ScoreAttr(XElement element, string name, string what)
    {
        if (CibXml.Attr(element, name) is not { } text)
        {
            return null;
        }

        return Score.TryParse(text, out var score)
            ? score
            : Invalid<Score?>(CibXml.AttrPos(element, name), $"{what}: {name} '{text}' is not a score (an integer, INFINITY or -INFINITY)", null);
    }

    private T Invalid<T>(SourcePos at, string message, T fallback)
    {
        builder.Error(at, message);
        return fallback;
    }
}
