using System.Runtime.InteropServices;
using ClusterD.Daemon;
using ClusterD.Daemon.Controller;
using ClusterD.Daemon.Demo;
using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Security;

return await CommandLine.RunAsync(args);

namespace ClusterD.Daemon
{
    /// <summary>clusterd's command line: run the daemon, <c>keygen</c>, or <c>demo</c>.</summary>
    internal static class CommandLine
    {
        public const string DefaultConfig = "/etc/clusterd/clusterd.conf";

        private const string Usage = """
            usage: clusterd [--config FILE] [--node NAME]   run the daemon (default config /etc/clusterd/clusterd.conf)
                   clusterd keygen -k FILE [--key-id N]     write a new cluster key (mode 0600), like corosync-keygen
                   clusterd demo [--token MS]               a local two-node cluster on loopback: resources, a switchover, a fenced failover
                   clusterd demo --mysql [--token MS]       the same on the seed's real MySQL stack (the source tree's testbed; root, MariaDB, haproxy)
            """;

        public static async Task<int> RunAsync(string[] args)
        {
            if (args.Length > 0 && args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine(Usage);
                return ExitCodes.Ok;
            }

            try
            {
                return args.FirstOrDefault() switch
                {
                    "keygen" => Keygen(Options(args[1..], "-k", "--key-id")),
                    "demo" => await DemoAsync(args[1..]),
                    _ => await RunDaemonAsync(Options(args, "--config", "--node")),
                };
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"clusterd: {e.Message}\n{Usage}");
                return ExitCodes.Usage;
            }
        }

        private static async Task<int> RunDaemonAsync(Dictionary<string, string> options)
        {
            var path = options.GetValueOrDefault("--config", DefaultConfig);
            ClusterConfiguration config;
            NodeConfig local;
            AuthKeyRing keys;
            try
            {
                config = ClusterConfigurationLoader.Load(path);
                DaemonWitness.Check(config);
                DaemonPaths.Prepare(config);
                local = LocalNodeResolver.Resolve(config.Nodes, options.GetValueOrDefault("--node"), Environment.MachineName,
                    LocalNodeResolver.IsLocalAddress);
                keys = KeyRingLoader.Load(config.ClusterD);
            }
            catch (Exception e) when (e is ConfigException or AuthKeyFileException)
            {
                await Console.Error.WriteLineAsync($"clusterd: {e.Message}");
                return ExitCodes.Config;
            }
            catch (ArgumentException e)
            {
                // The local node could not be chosen from the nodelist: name the file it was looked for in.
                await Console.Error.WriteLineAsync($"clusterd: {path}: {e.Message}");
                return ExitCodes.Config;
            }

            try
            {
                return await DaemonHost.RunAsync(config, local, keys);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A start-up failure of this host (a port in use, an unusable state file): said plainly, never an abort.
                await Console.Error.WriteLineAsync($"clusterd: {e.Message}");
                return ExitCodes.Failure;
            }
        }

        /// <summary>
        /// The loopback demo, or with <c>--mysql</c> the testbed's: that one is stopped cleanly by SIGINT, SIGTERM or
        /// SIGHUP (the testbed is taken down before the exit), since it builds namespaces, mounts and loop devices.
        /// </summary>
        private static async Task<int> DemoAsync(string[] args)
        {
            var mysql = args.Contains("--mysql");
            var options = Options([.. args.Where(a => a != "--mysql")], "--token");
            if (!mysql)
            {
                return await DemoDrill.RunAsync(options, Console.Out);
            }

            using var interrupted = new CancellationTokenSource();
            void Interrupt(PosixSignalContext context)
            {
                context.Cancel = true;
                interrupted.Cancel();
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
            return await DemoDrill.RunMysqlAsync(DemoDrill.TokenMs(options), TestbedPrerequisites.Probe(), Console.Out, Console.Error, interrupted.Token);
        }

        private static int Keygen(Dictionary<string, string> options)
        {
            var path = options.GetValueOrDefault("-k") ?? throw new UsageException("keygen needs -k FILE");
            var id = options.TryGetValue("--key-id", out var text)
                ? byte.TryParse(text, out var parsed) ? parsed : throw new UsageException($"--key-id {text}: must be 0 to 255")
                : (byte)1;
            try
            {
                AuthKeyFile.Generate(path, id);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"clusterd keygen: {path}: {e.Message}");
                return ExitCodes.Failure;
            }

            Console.WriteLine($"Wrote a {AuthKey.GeneratedSecretBytes * 8}-bit cluster key with key id {id} to {path} (mode 0600). Copy it to every node.");
            return ExitCodes.Ok;
        }

        /// <summary>Parses "--name value" pairs, allowing only <paramref name="allowed"/>.</summary>
        private static Dictionary<string, string> Options(string[] args, params string[] allowed)
        {
            var options = new Dictionary<string, string>();
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                string value;
                if (equals > 0)
                {
                    (name, value) = (name[..equals], name[(equals + 1)..]);
                }
                else if (i + 1 < args.Length)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"{name} needs a value");
                }

                if (!allowed.Contains(name))
                {
                    throw new UsageException($"unknown argument '{name}'");
                }

                options[name] = value;
            }

            return options;
        }

        private sealed class UsageException(string message) : Exception(message);
    }
}
