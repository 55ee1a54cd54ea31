using System.CommandLine;
using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Commands;

/// <summary><c>configure validate FILE [--json]</c>: the whole file is checked; exit 0 only without errors.</summary>
internal sealed class ConfigureValidateCommand : ClusterCtlCommand
{
    private readonly Argument<string> _file = new Argument<string>("FILE") { Description = "A crm configuration or a CIB (XML)" }.NotEmpty();
    private readonly Option<bool> _json = new("--json") { Description = "Print { file, valid, errors, warnings } as JSON" };

    public ConfigureValidateCommand(CliContext context, GlobalOptions globals)
        : base("validate", "Check a configuration file whole: errors and warnings with file:line:column", context, globals)
    {
        Add(_file);
        Add(_json);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(_file)!;
        if (!ConfigurationFile.TryReadText(file, Context.Output, "configure validate", out var text))
        {
            return Task.FromResult(ExitCodes.Error);
        }

        var parsed = ConfigText.Parse(text, file);
        var (errors, warnings, config) = (parsed.Errors, parsed.Warnings, parsed.Config);

        if (parseResult.GetValue(_json))
        {
            Context.Output.WriteLine(JsonOutput.Serialize(ValidateView.From(file, errors, warnings)));
        }
        else if (ConfigurationFile.Report(Context.Output, "configure validate", errors, warnings) && config is not null)
        {
            Context.Output.WriteLine($"{file}: valid: {config.Primitives.Count} primitives, {config.Groups.Count} groups, "
                + $"{config.Clones.Count} clones, {config.Locations.Count + config.Colocations.Count + config.Orders.Count} constraints"
                + (warnings.Length > 0 ? $", {warnings.Length} warnings" : ""));
        }

        return Task.FromResult(errors.IsEmpty ? ExitCodes.Ok : ExitCodes.Error);
    }
}
