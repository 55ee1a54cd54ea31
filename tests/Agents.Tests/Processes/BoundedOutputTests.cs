using System.Text;
using ClusterD.Agents.Processes;

namespace ClusterD.Agents.Tests.Processes;

public sealed class BoundedOutputTests
{
    [Fact]
    public void Append_WithinLimit_KeepsEverything()
    {
        var output = new BoundedOutput(16);
        output.Append("hello "u8);
        output.Append("world"u8);

        Assert.Equal("hello world", output.ToString());
        Assert.False(output.Truncated);
    }

    [Fact]
    public void Append_ExactlyAtLimit_IsNotTruncated()
    {
        var output = new BoundedOutput(10);
        output.Append("0123456789"u8);

        Assert.Equal("0123456789", output.ToString());
        Assert.False(output.Truncated);
    }

    [Fact]
    public void Append_BeyondLimit_KeepsHeadAndTailAndCountsTheRest()
    {
        var output = new BoundedOutput(10);
        output.Append("abcde"u8);
        output.Append(Encoding.ASCII.GetBytes(new string('x', 100)));
        output.Append("vwxyz"u8);

        Assert.True(output.Truncated);
        Assert.Equal("abcde\n[... 100 bytes of output omitted ...]\nvwxyz", output.ToString());
    }
}
