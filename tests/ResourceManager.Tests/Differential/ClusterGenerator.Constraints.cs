using System.Globalization;
using System.Xml.Linq;

namespace ClusterD.ResourceManager.Tests.Differential;

/// <summary>Locations (node scores and rules on node attributes, some for the Promoted role), colocations and orders.</summary>
internal sealed partial class ClusterGenerator
{
    private XElement Constraints()
    {
        var constraints = new XElement("constraints");
        var tops = _tops.Where(t => t.Id != "fencing").ToList();
        foreach (var top in tops.Where(_ => Chance(0.5)))
        {
            constraints.Add(Location(top));
        }

        for (var i = 0; i < tops.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (Chance(0.25))
                {
                    constraints.Add(Colocation(tops[i], tops[j]));
                }

                if (Chance(0.2))
                {
                    constraints.Add(Order(tops[j], tops[i]));
                }
            }
        }

        return constraints;
    }

    private XElement Location(Top top)
    {
        var location = new XElement("rsc_location", new XAttribute("id", Id("loc-" + top.Id)), new XAttribute("rsc", top.Id));
        var score = Pick(Scores);
        var promotedRole = top.Kind == TopKind.Promotable && Chance(0.4);
        if (!promotedRole && Chance(0.6))
        {
            location.Add(new XAttribute("node", _nodes[_random.Next(_nodes.Count)]), new XAttribute("score", score));
            return location;
        }

        var rule = new XElement("rule", new XAttribute("id", Id("rule-" + top.Id)), new XAttribute("score", score));
        if (promotedRole)
        {
            rule.Add(new XAttribute("role", "Promoted"));
        }

        rule.Add(Expression(top.Id));
        if (Chance(0.25))
        {
            rule.Add(new XAttribute("boolean-op", Pick("and", "or")), Expression(top.Id));
        }

        location.Add(rule);
        return location;
    }

    private XElement Expression(string owner)
    {
        var expression = new XElement("expression", new XAttribute("id", Id("expr-" + owner)));
        switch (_random.Next(3))
        {
            case 0:
                expression.Add(new XAttribute("attribute", "site"), new XAttribute("operation", Pick("eq", "ne")), new XAttribute("value", Pick("a", "b")));
                break;
            case 1:
                expression.Add(
                    new XAttribute("attribute", "rack"),
                    new XAttribute("operation", Pick("gt", "lte")),
                    new XAttribute("value", _random.Next(1, 3).ToString(CultureInfo.InvariantCulture)),
                    new XAttribute("type", "number"));
                break;
            default:
                expression.Add(new XAttribute("attribute", "#uname"), new XAttribute("operation", "eq"), new XAttribute("value", _nodes[_random.Next(_nodes.Count)]));
                break;
        }

        return expression;
    }

    private XElement Colocation(Top follower, Top primary)
    {
        var score = Weighted(("INFINITY", 6), ("-INFINITY", 2), ("100", 1), ("-100", 1));
        var colocation = new XElement(
            "rsc_colocation",
            new XAttribute("id", Id($"col-{follower.Id}-{primary.Id}")),
            new XAttribute("score", score),
            new XAttribute("rsc", follower.Id),
            new XAttribute("with-rsc", primary.Id));
        if (follower.Kind == TopKind.Promotable && Chance(0.3))
        {
            colocation.Add(new XAttribute("rsc-role", "Promoted"));
        }

        if (primary.Kind == TopKind.Promotable && Chance(0.6))
        {
            colocation.Add(new XAttribute("with-rsc-role", "Promoted"));
        }

        return colocation;
    }

    private XElement Order(Top first, Top then)
    {
        var order = new XElement(
            "rsc_order",
            new XAttribute("id", Id($"ord-{first.Id}-{then.Id}")),
            new XAttribute("first", first.Id),
            new XAttribute("then", then.Id),
            new XAttribute("kind", Weighted(("Mandatory", 7), ("Optional", 3))));
        if (first.Kind == TopKind.Promotable && Chance(0.5))
        {
            order.Add(new XAttribute("first-action", "promote"));
        }

        if (then.Kind == TopKind.Promotable && Chance(0.2))
        {
            order.Add(new XAttribute("then-action", "promote"));
        }

        return order;
    }
}
