using ClusterD.Agents.Native.Filesystem;

namespace ClusterD.Agents.Tests.Native.Filesystem;

public sealed class FilesystemSettingsTests
{
    [Theory]
    [InlineData("ext2", "auto", true)]
    [InlineData("ext3", "auto", false)]
    [InlineData("ext4", "auto", false)]
    [InlineData("xfs", "auto", false)]
    [InlineData("", "auto", true)]
    [InlineData("ext3", "force", true)]
    [InlineData("ext2", "no", false)]
    [InlineData("ext2", "bogus", true)]
    public void NeedsFsck_FollowsTheOcfAgentsPolicy(string fstype, string runFsck, bool expected)
    {
        Assert.Equal(expected, Parse(new() { ["fstype"] = fstype, ["run_fsck"] = runFsck }).NeedsFsck);
    }

    [Fact]
    public void NeedsFsck_NetworkSource_Never()
    {
        Assert.False(Parse(new() { ["device"] = "nfs:/export", ["fstype"] = "ext2", ["run_fsck"] = "force" }).NeedsFsck);
    }

    [Fact]
    public void MountArguments_TypeOptionsUuidAndTrailingSlash()
    {
        var settings = Parse(new() { ["device"] = "-U 1234-abcd", ["directory"] = "/var/lib/mysql/", ["options"] = "noatime,barrier=1" });

        Assert.Equal(["-t", "ext3", "-o", "noatime,barrier=1", "-U", "1234-abcd", "/var/lib/mysql"], settings.MountArguments());
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("/")]
    [InlineData("/var/../etc")]
    [InlineData("")]
    public void TryParse_BadDirectory_IsRefused(string directory)
    {
        var request = new AgentRequest(AgentAction.Start, "fs")
        {
            Parameters = new Dictionary<string, string> { ["device"] = "/dev/sdc1", ["directory"] = directory, ["fstype"] = "ext3" },
        };

        Assert.False(FilesystemSettings.TryParse(request, out _, out var problem));
        Assert.NotEmpty(problem);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("safe", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    public void MayKillUsers_ReadsForceUnmount(string value, bool expected)
    {
        Assert.Equal(expected, Parse(new() { ["force_unmount"] = value }).MayKillUsers);
    }

    private static FilesystemSettings Parse(Dictionary<string, string> overrides)
    {
        var parameters = new Dictionary<string, string> { ["device"] = "/dev/sdc1", ["directory"] = "/var/lib/mysql", ["fstype"] = "ext3" };
        foreach (var (key, value) in overrides)
        {
            parameters[key] = value;
        }

        Assert.True(FilesystemSettings.TryParse(new AgentRequest(AgentAction.Start, "fs") { Parameters = parameters }, out var settings, out var problem), problem);
        return settings;
    }
}
