using System.Text;

namespace ClusterD.Fencing.Azure;

/// <summary>What one agent run did, line by line (its output), and what it is doing now (for a timeout's reason).</summary>
internal sealed class AzureTranscript
{
    private readonly StringBuilder _text = new();

    /// <summary>The step under way, in words ("waiting for VM 'x' to be stopped").</summary>
    public string Doing { get; set; } = "starting";

    public void Line(string line) => _text.Append(line).Append('\n');

    public override string ToString() => _text.ToString();
}
