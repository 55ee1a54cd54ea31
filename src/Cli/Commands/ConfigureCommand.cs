using System.CommandLine;
using ClusterD.Cli.Rendering;
using ClusterD.Platform.Files;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl configure validate|show|import-cib</c>: the resource configuration in crm shell syntax
/// (crmsh's <c>configure</c> language) or as a Pacemaker CIB. These verbs work on files and need no daemon.
/// </summary>
internal sealed class ConfigureCommand : Command
{
    public ConfigureCommand(CliContext context, GlobalOptions globals)
        : base("configure", "Validate, show and import resource configurations (crm syntax or Pacemaker CIB XML)")
    {
        Add(new ValidateCommand(context, globals));
        Add(new ShowCommand(context, globals));
        Add(new ImportCibCommand(context, globals));
    }

    /// <summary><c>configure validate FILE [--json]</c>: the whole file is checked; exit 0 only without errors.</summary>
    private sealed class ValidateCommand : ClusterCtlCommand
    {
        private readonly Argument<string> _file = new Argument<string>("FILE") { Description = "A crm configuration or a CIB (XML)" }.NotEmpty();
        private readonly Option<bool> _json = new("--json") { Description = "Print { file, valid, errors, warnings } as JSON" };

        public ValidateCommand(CliContext context, GlobalOptions globals)
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

            IReadOnlyList<ConfigDiagnostic> errors, warnings;
            ClusterConfig? config;
            if (ConfigurationFile.IsCib(text))
            {
                var imported = CibImporter.Import(text, file, includeStatus: false);
                (errors, warnings, config) = (imported.Errors, imported.Warnings, imported.Config);
            }
            else
            {
                var parsed = CrmParser.Parse(text, file);
                (errors, warnings, config) = (parsed.Errors, parsed.Warnings, parsed.Config);
            }

            if (parseResult.GetValue(_json))
            {
                Context.Output.WriteLine(JsonOutput.Serialize(ValidateView.From(file, errors, warnings)));
            }
            else if (ConfigurationFile.Report(Context.Output, "configure validate", errors, warnings) && config is not null)
            {
                Context.Output.WriteLine($"{file}: valid: {config.Primitives.Count} primitives, {config.Groups.Count} groups, "
                    + $"{config.Clones.Count} clones, {config.Locations.Count + config.Colocations.Count + config.Orders.Count} constraints"
                    + (warnings.Count > 0 ? $", {warnings.Count} warnings" : ""));
            }

            return Task.FromResult(errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Error);
        }
    }

    /// <summary><c>configure show FILE [--json]</c>: the configuration in canonical crm syntax (parse of the output gives the same model).</summary>
    private sealed class ShowCommand : ClusterCtlCommand
    {
        private readonly Argument<string?> _file = new Argument<string?>("FILE") { Description = "A crm configuration or a CIB (XML)", Arity = ArgumentArity.ZeroOrOne }.NotEmpty();
        private readonly Option<bool> _json = new("--json") { Description = "Print the configuration model as JSON" };

        public ShowCommand(CliContext context, GlobalOptions globals)
            : base("show", "Print a configuration in canonical crm syntax (or --json)", context, globals)
        {
            Add(_file);
            Add(_json);
        }

        protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
        {
            if (parseResult.GetValue(_file) is not { } file)
            {
                // The daemon does not hold a resource configuration yet (configure load comes with the executor).
                Context.Output.WriteError("clusterctl: configure show: give a FILE; the daemon does not serve a resource configuration yet");
                return Task.FromResult(ExitCodes.Usage);
            }

            if (!ConfigurationFile.TryRead(file, includeStatus: false, Context.Output, "configure show", out var config, out _))
            {
                return Task.FromResult(ExitCodes.Error);
            }

            Context.Output.Out.Write(parseResult.GetValue(_json) ? ConfigJson.Write(config) + "\n" : CrmWriter.Write(config));
            return Task.FromResult(ExitCodes.Ok);
        }
    }

    /// <summary>
    /// <c>configure import-cib FILE.xml [--json] [--status-out FILE]</c>: a Pacemaker CIB (<c>cibadmin -Q</c>)
    /// as crm syntax, and optionally its status section as the status JSON <c>simulate --status</c> reads.
    /// </summary>
    private sealed class ImportCibCommand : ClusterCtlCommand
    {
        private readonly Argument<string> _file = new Argument<string>("FILE") { Description = "The CIB, as cibadmin -Q writes it" }.NotEmpty();
        private readonly Option<bool> _json = new("--json") { Description = "Print the configuration model as JSON instead of crm syntax" };
        private readonly Option<string> _statusOut = new Option<string>("--status-out")
        {
            Description = "Also write the CIB's status section as status JSON to FILE (a regular file, replaced atomically)",
            HelpName = "FILE",
        }.NotEmpty();

        public ImportCibCommand(CliContext context, GlobalOptions globals)
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
}
