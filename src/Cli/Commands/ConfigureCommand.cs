using System.CommandLine;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl configure validate|show|load|import-cib</c>: the resource configuration in crm shell syntax
/// (crmsh's <c>configure</c> language) or as a Pacemaker CIB. <c>validate</c>, <c>import-cib</c> and
/// <c>show FILE</c> work on files and need no daemon; <c>show</c> without a file and <c>load</c> talk to it.
/// </summary>
internal sealed class ConfigureCommand : Command
{
    public ConfigureCommand(CliContext context, GlobalOptions globals)
        : base("configure", "Validate, show, load and import resource configurations (crm syntax or Pacemaker CIB XML)")
    {
        Add(new ConfigureValidateCommand(context, globals));
        Add(new ConfigureShowCommand(context, globals));
        Add(new ConfigureLoadCommand(context, globals));
        Add(new ConfigureImportCibCommand(context, globals));
    }
}
