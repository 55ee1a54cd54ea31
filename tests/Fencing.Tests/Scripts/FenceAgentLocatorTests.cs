using ClusterD.Fencing.Scripts;
using ClusterD.Fencing.Tests.TestSupport;

namespace ClusterD.Fencing.Tests.Scripts;

public sealed class FenceAgentLocatorTests : IDisposable
{
    private readonly TempDirectory _first = new();
    private readonly TempDirectory _second = new();

    private FenceAgentLocator Locator => new([_first.Path, _second.Path]);

    [Theory]
    [InlineData("fence_dummy", true)]
    [InlineData("fence_azure_arm", true)]
    [InlineData("fence_ipmilan2", true)]
    [InlineData("fence_", false)]
    [InlineData("fence_Azure", false)]
    [InlineData("fence_a-b", false)]
    [InlineData("fence_a/b", false)]
    [InlineData("fence_a b", false)]
    [InlineData("xfence_a", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValidName_Cases_AcceptOnlyPlainAgentNames(string? name, bool valid) =>
        Assert.Equal(valid, FenceAgentLocator.IsValidName(name));

    [Fact]
    public void IsValidName_LongerThanTheBound_IsRefused()
    {
        Assert.True(FenceAgentLocator.IsValidName("fence_" + new string('a', FenceAgentLocator.MaxNameLength - 6)));
        Assert.False(FenceAgentLocator.IsValidName("fence_" + new string('a', FenceAgentLocator.MaxNameLength - 5)));
    }

    [Fact]
    public void TryFind_InTwoDirectories_FirstWins()
    {
        _first.WriteScript("fence_x", "#!/bin/sh\n");
        _second.WriteScript("fence_x", "#!/bin/sh\n");

        Assert.True(Locator.TryFind("fence_x", out var path, out _));
        Assert.Equal(_first.Combine("fence_x"), path);
    }

    [Fact]
    public void TryFind_FirstIsADirectoryFifoOrNotExecutable_SkipsToTheNextDirectory()
    {
        Directory.CreateDirectory(_first.Combine("fence_dir"));
        _second.WriteScript("fence_dir", "#!/bin/sh\n");
        Assert.Equal(0, Mkfifo(_first.Combine("fence_fifo")));
        _second.WriteScript("fence_fifo", "#!/bin/sh\n");
        File.WriteAllText(_first.Combine("fence_plain"), "#!/bin/sh\n");
        _second.WriteScript("fence_plain", "#!/bin/sh\n");

        Assert.True(Locator.TryFind("fence_dir", out var dir, out _));
        Assert.True(Locator.TryFind("fence_fifo", out var fifo, out _));
        Assert.True(Locator.TryFind("fence_plain", out var plain, out _));
        Assert.Equal(_second.Combine("fence_dir"), dir);
        Assert.Equal(_second.Combine("fence_fifo"), fifo);
        Assert.Equal(_second.Combine("fence_plain"), plain);
    }

    [Fact]
    public void TryFind_OnlyAFifo_FailsSayingWhatWasFound()
    {
        Assert.Equal(0, Mkfifo(_first.Combine("fence_only_fifo")));

        Assert.False(Locator.TryFind("fence_only_fifo", out var path, out var problem));
        Assert.Null(path);
        Assert.Equal($"fence_only_fifo not found in {_first.Path}, {_second.Path} ({_first.Combine("fence_only_fifo")} is a FIFO)", problem);
    }

    [Fact]
    public void TryFind_Default_FindsDebiansFenceDummy()
    {
        Assert.True(new FenceAgentLocator().TryFind("fence_dummy", out var path, out _));
        Assert.Equal("/usr/sbin/fence_dummy", path);
    }

    [Fact]
    public void Constructor_RelativeDirectory_Throws() =>
        Assert.Throws<ArgumentException>(() => new FenceAgentLocator(["sbin"]));

    [Fact]
    public void WithFirst_PutsTheDirectoryBeforeTheOthers() =>
        Assert.Equal([_second.Path, "/usr/sbin"], new FenceAgentLocator().WithFirst(_second.Path).Directories);

    private static int Mkfifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", [path]);
        p.WaitForExit();
        return p.ExitCode;
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
