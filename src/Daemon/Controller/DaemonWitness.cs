using System.Security.Cryptography;
using System.Text;
using ClusterD.Fencing.Azure;
using ClusterD.Fencing.Witness;
using ClusterD.Membership.Configuration;
using Microsoft.Extensions.Logging;

namespace ClusterD.Daemon.Controller;

/// <summary>The cloud witness of <c>quorum.witness</c>, checked and built for the fencer; errors name file, line and key.</summary>
internal static class DaemonWitness
{
    /// <summary>The witness settings, or null when none is configured.</summary>
    /// <exception cref="ConfigException">A value cannot be used.</exception>
    public static AzureWitnessSettings? Settings(ClusterConfiguration config)
    {
        if (config.Witness is not { } section)
        {
            return null;
        }

        if (!AzureWitnessSettings.TryRead(section.Values, out var settings, out var key, out var error))
        {
            throw new ConfigException(config.SourceFile, section.LineOf(key), $"quorum.witness.{key}", error);
        }

        return settings;
    }

    /// <summary>Checks the witness settings and the files they name before the daemon starts.</summary>
    /// <exception cref="ConfigException">A value or a file it names cannot be used.</exception>
    public static void Check(ClusterConfiguration config)
    {
        using var witness = Create(config, "check", TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    }

    /// <summary>Builds the witness client (reading its CA bundle and credential files now), or null when none is configured.</summary>
    /// <exception cref="ConfigException">A value or a file it names cannot be used.</exception>
    public static AzureBlobWitness? Create(ClusterConfiguration config, string localNode, TimeProvider time, ILogger logger)
    {
        if (Settings(config) is not { } settings)
        {
            return null;
        }

        try
        {
            return new AzureBlobWitness(settings, LeaseId(config.Totem.ClusterName, localNode), time, logger);
        }
        catch (AzureCredentialException e)
        {
            var section = config.Witness!;
            var key = section.Values.Keys.FirstOrDefault(k => e.Message.StartsWith(k, StringComparison.Ordinal)) ?? "type";
            throw new ConfigException(config.SourceFile, section.LineOf(key), $"quorum.witness.{key}", e.Message);
        }
    }

    /// <summary>
    /// This node's lease id: the same for every start of the daemon on this node, so a restarted node still holding
    /// the lease gets it again, and different for every node of every cluster.
    /// </summary>
    public static Guid LeaseId(string cluster, string node)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"clusterd-witness/{cluster}/{node}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
