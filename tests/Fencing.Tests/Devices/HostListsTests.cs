using ClusterD.Fencing.Devices;

namespace ClusterD.Fencing.Tests.Devices;

public sealed class HostListsTests
{
    [Fact]
    public void ParseListOutput_PlugAliasLines_TakesEveryWordButOnOffAndComplaints()
    {
        var names = HostLists.ParseListOutput("vm-1,node1\nvm-2,node2,on\n  \nWARNING: invalid option 'x'\nvm-3;off\n");

        Assert.Equal(["vm-1", "node1", "vm-2", "node2", "vm-3"], names);
    }

    [Fact]
    public void ParseListOutput_Garbage_KeepsOnlyTheLeadingNameCharactersOfEachWord()
    {
        var names = HostLists.ParseListOutput("vm-1\u0001\u0002xx $(reboot) \u00e9t\u00e9 ok.name_2/3\n");

        Assert.Equal(["vm-1", "ok.name_2"], names);
    }

    [Fact]
    public void ParseListOutput_Huge_IsBounded()
    {
        var names = HostLists.ParseListOutput(string.Join('\n', Enumerable.Range(0, HostLists.MaxEntries + 50).Select(i => $"vm{i}")));

        Assert.Equal(HostLists.MaxEntries, names.Length);
    }

    [Fact]
    public void ParseHostMap_EntryWithoutNode_IsReported()
    {
        var problems = new List<string>();

        var map = HostLists.ParseHostMap("node1:vm1;lonely;node2=vm2", problems);

        Assert.Equal([KeyValuePair.Create("node1", "vm1"), KeyValuePair.Create("node2", "vm2")], map);
        Assert.Equal(["pcmk_host_map: 'lonely' is not node:value"], problems);
    }

    [Fact]
    public void ParseHostMap_CommaInPlug_IsPartOfThePlug()
    {
        var map = HostLists.ParseHostMap("node1:1,2 node2:3", []);

        Assert.Equal([KeyValuePair.Create("node1", "1,2"), KeyValuePair.Create("node2", "3")], map);
    }
}
