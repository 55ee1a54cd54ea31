using ClusterD.Cli.Commands;
using ClusterD.Cli.Rendering;

namespace ClusterD.Cli.Tests.TestSupport;

/// <summary>The outcome of one <c>clusterctl</c> command line.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>
/// Runs real command lines through <see cref="ClusterCtlRootCommand"/> against a fake daemon, with
/// no configuration file and no environment variables unless a test sets them.
/// </summary>
internal sealed class CliHarness
{
    public FakeAdminCallInvoker Daemon { get; } = new();

    public ObservableTimeProvider Time { get; } = new();

    public string ConfPath { get; set; } = Path.Combine(Path.GetTempPath(), "clusterctl-tests-no-such-dir", "clusterd.conf");

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>What the operator types, one line per confirmation; empty: end of input.</summary>
    public Queue<string> Input { get; } = new();

    /// <summary>Null means the real <see cref="AdminClientFactory"/> (real Unix sockets).</summary>
    public IAdminClientFactory? ClientFactory { get; set; }

    public FakeClientFactory UseFakeDaemon()
    {
        var factory = new FakeClientFactory(Daemon);
        ClientFactory = factory;
        return factory;
    }

    public async Task<CliRun> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(new TextWriterConsoleOutput(output, error))
        {
            ConfPath = ConfPath,
            GetEnvironmentVariable = name => Environment.GetValueOrDefault(name),
            ClientFactory = ClientFactory ?? new AdminClientFactory(),
            Time = Time,
            ReadLine = () => Input.TryDequeue(out var line) ? line : null,
        };
        var exitCode = await ClusterCtlRootCommand.InvokeAsync(args, context, cancellationToken);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
