using System.Net;
using System.Net.Sockets;

namespace ClusterD.Membership.Configuration;

/// <summary>
/// Node link addresses (<c>ringN_addr</c>). An address must be one a node can have and others can send
/// to: never the unspecified address (<c>0.0.0.0</c>, <c>::</c>), a broadcast or a multicast address.
/// IPv4 is written as a strict dotted quad: <c>inet_aton</c> shorthands such as <c>1.5</c> (read as
/// 1.0.0.5), <c>10.1</c>, a single number, hex or leading zeros (octal to some readers) are refused
/// rather than guessed at. A host name is resolved once, at load, and the same rules apply to its address.
/// </summary>
public static partial class ClusterConfigurationLoader
{
    private static IPAddress? ParseNodeAddress(string value, out string problem)
    {
        problem = "";
        if (value.Contains(':', StringComparison.Ordinal))
        {
            // IPv6 only in its plain form: brackets, ports and zone ids (%eth0) have no place in a node address.
            if (value.Any(c => !(char.IsAsciiHexDigit(c) || c is ':' or '.')) || !IPAddress.TryParse(value, out var v6))
            {
                problem = $"'{value}' is not an IPv6 address (write it without brackets, port or zone)";
                return null;
            }

            return Usable(v6, value, ref problem);
        }

        // A name whose last label starts with a digit is no host name (top-level domains are alphabetic), and
        // getaddrinfo would read it as an inet_aton number such as 0x0a.1 or 167772161: only a dotted quad is an address.
        if (char.IsAsciiDigit(value.TrimEnd('.').Split('.')[^1].FirstOrDefault('0')))
        {
            if (!IsDottedQuad(value) || !IPAddress.TryParse(value, out var v4))
            {
                problem = $"'{value}' is not an IPv4 address: write all four parts in decimal (a.b.c.d)";
                return null;
            }

            return Usable(v4, value, ref problem);
        }

        if (!IsHostName(value))
        {
            problem = $"'{value}' is neither an IP address nor a host name";
            return null;
        }

        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(value);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            problem = $"'{value}' is neither an IP address nor a resolvable host name";
            return null;
        }

        var usable = resolved.Where(a => Problem(a) is null).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault();
        if (usable is null)
        {
            problem = resolved.Length == 0
                ? $"'{value}' is neither an IP address nor a resolvable host name"
                : $"'{value}' resolves to {string.Join(", ", resolved.Select(a => a.ToString()))}, none usable as a node address";
        }

        return usable;
    }

    private static IPAddress? Usable(IPAddress address, string value, ref string problem)
    {
        if (Problem(address) is { } why)
        {
            problem = $"'{value}' {why}: a node address must be one unicast address of that node";
            return null;
        }

        return address;
    }

    private static string? Problem(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "is the unspecified address (0.0.0.0/8, 'this network')",
                >= 224 and <= 239 => "is a multicast address",
                255 when b[1] == 255 && b[2] == 255 && b[3] == 255 => "is the broadcast address",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "is the unspecified address";
        }

        return address.IsIPv6Multicast ? "is a multicast address" : null;
    }

    /// <summary>Four decimal parts from 0 to 255, without leading zeros.</summary>
    private static bool IsDottedQuad(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(p =>
            p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>A DNS name as RFC 1123 allows it: labels of 1 to 63 letters, digits and inner hyphens, 253 characters in all.</summary>
    private static bool IsHostName(string value) =>
        value.Length <= 253 && value.TrimEnd('.').Split('.').All(label =>
            label.Length is >= 1 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-');
}
