using System.CommandLine;
using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Configuration;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>configure import-cib FILE.xml [--json] [--status-out FILE]</c>: a Pacemaker CIB (<c>cibadmin -Q</c>)
/// as crm syntax, and optionally its status section as the status JSON <c>simulate --status</c> reads.
/// </summary>
internal sealed class ConfigureImportCibCommand : ClusterCtlCommand
{
    private readonly Argument<string> _file = new Argument<string>("FILE") { Description = "The CIB, as cibadmin -Q writes it" }.NotEmpty();
    private readonly Option<bool> _json = new("--json") { Description = "Print the configuration model as JSON instead of crm syntax" };
    private readonly Option<string> _statusOut = new Option<string>("--status-out")
    {
        Description = "Also write the CIB's status section as status JSON to FILE (a regular file, replaced atomically)",
        HelpName = "FILE",
    }.NotEmpty();

    public ConfigureImportCibCommand(CliContext context, GlobalOptions globals)
        : base("import-cib", "Convert a Pacemaker CIB to ClusterD's configuration (and status)", context, globals)
    {
        Add(_file);
        Add(_json);
        Add(_statusOut);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        Task.FromResult(Execute(parseResult));

    private int Execute(ParseResult parseResult)
    {
        var file = parseResult.GetValue(_file)!;
        var statusOut = parseResult.GetValue(_statusOut);
        if (statusOut is not null && !AtomicTextFile.TryCheckTarget(statusOut, out var targetError))
        {
            Context.Output.WriteError($"clusterctl: configure import-cib: --status-out {statusOut}: {targetError}");
            return ExitCodes.Error;
        }

        if (!ConfigurationFile.TryReadText(file, Context.Output, "configure import-cib", out var text))
        {
            return ExitCodes.Error;
        }

        if (!ConfigurationFile.IsCib(text))
        {
            Context.Output.WriteError($"clusterctl: configure import-cib: {file}:1:1: not a CIB (XML); for crm syntax use 'configure show'");
            return ExitCodes.Error;
        }

        var imported = CibImporter.Import(text, file, includeStatus: statusOut is not null);
        if (!ConfigurationFile.Report(Context.Output, "configure import-cib", imported.Errors, imported.Warnings))
        {
            return ExitCodes.Error;
        }

        if (statusOut is not null
            && !AtomicTextFile.TryWrite(statusOut, StatusJson.Write(imported.Status ?? ClusterStatus.Empty) + "\n", out var writeError))
        {
            Context.Output.WriteError($"clusterctl: configure import-cib: --status-out {statusOut}: {writeError}");
            return ExitCodes.Error;
        }

        Context.Output.Out.Write(parseResult.GetValue(_json) ? ConfigJson.Write(imported.Config!) + "\n" : CrmWriter.Write(imported.Config!));
        return ExitCodes.Ok;
    }
}
