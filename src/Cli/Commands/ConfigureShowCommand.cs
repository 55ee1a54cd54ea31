using System.CommandLine;
using ClusterD.Admin.V1;
using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>configure show [FILE] [--json]</c>: a configuration in canonical crm syntax (parsing the output gives the
/// same model). Without FILE, the cluster's live configuration from the daemon, preceded by its version as a
/// crm comment; with FILE, that file, offline.
/// </summary>
internal sealed class ConfigureShowCommand : ClusterCtlCommand
{
    private readonly Argument<string?> _file = new Argument<string?>("FILE")
    {
        Description = "A crm configuration or a CIB (XML); default: the live configuration from the daemon",
        Arity = ArgumentArity.ZeroOrOne,
    }.NotEmpty();

    private readonly Option<bool> _json = new("--json") { Description = "Print the configuration model as JSON" };

    public ConfigureShowCommand(CliContext context, GlobalOptions globals)
        : base("show", "Print the live configuration, or a file's, in canonical crm syntax (or --json)", context, globals)
    {
        Add(_file);
        Add(_json);
    }

    protected override string DisplayName => "configure show";

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(_json);
        if (parseResult.GetValue(_file) is not { } file)
        {
            using var connection = Connect(parseResult);
            var reply = await connection.Client.GetConfigurationAsync(new GetConfigurationRequest(), deadline: Deadline(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (!json)
            {
                Context.Output.Out.Write($"# admin_epoch={reply.AdminEpoch} epoch={reply.Epoch}\n{reply.Crm}");
                return ExitCodes.Ok;
            }

            // The daemon sends crm text; --json prints the same model as for a file.
            var live = CrmParser.Parse(reply.Crm, "live configuration");
            if (!ConfigurationFile.Report(Context.Output, DisplayName, live.Errors, []) || live.Config is null)
            {
                return ExitCodes.Error;
            }

            Context.Output.Out.Write(ConfigJson.Write(live.Config with { Version = new ConfigVersion(reply.AdminEpoch, reply.Epoch) }) + "\n");
            return ExitCodes.Ok;
        }

        if (!ConfigurationFile.TryRead(file, includeStatus: false, Context.Output, DisplayName, out var config, out _))
        {
            return ExitCodes.Error;
        }

        Context.Output.Out.Write(json ? ConfigJson.Write(config) + "\n" : CrmWriter.Write(config));
        return ExitCodes.Ok;
    }
}
