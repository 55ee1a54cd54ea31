using System.CommandLine;
using System.Text;
using ClusterD.Admin.V1;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl configure load replace|update FILE</c>, as <c>crm configure load</c>: the file (crm syntax or a
/// CIB, read with the same bounds as the offline verbs) goes to the daemon, which validates it whole and
/// applies it whole or not at all. <c>replace</c> makes it the configuration; <c>update</c> merges it into the
/// live one. Errors come back as <c>FILE:line:column: message</c>.
/// </summary>
internal sealed class ConfigureLoadCommand : ClusterCtlCommand
{
    private readonly Argument<string> _method = new("METHOD") { Description = "replace or update" };
    private readonly Argument<string> _file = new Argument<string>("FILE") { Description = "A crm configuration or a CIB (XML)" }.NotEmpty();

    public ConfigureLoadCommand(CliContext context, GlobalOptions globals)
        : base("load", "Replace or update the cluster's configuration with a file (like crm configure load)", context, globals)
    {
        _method.AcceptOnlyFromAmong("replace", "update");
        Add(_method);
        Add(_file);
    }

    protected override string DisplayName => "configure load";

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(_file)!;
        if (!ConfigurationFile.TryReadText(file, Context.Output, DisplayName, out var text))
        {
            return Task.FromResult(ExitCodes.Error);
        }

        if (Encoding.UTF8.GetByteCount(text) > AdminLimits.MaxConfigurationBytes)
        {
            Context.Output.WriteError($"clusterctl: {DisplayName}: {file}: larger than the {AdminLimits.MaxConfigurationBytes} bytes the daemon accepts");
            return Task.FromResult(ExitCodes.Error);
        }

        var request = new LoadConfigurationRequest { Text = text, Replace = parseResult.GetValue(_method) == "replace", Name = file };
        return SendAsync(parseResult, (client, options) => client.LoadConfigurationAsync(request, options), cancellationToken);
    }
}
