using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Tests.Configuration;

/// <summary>
/// Reading and parsing an input stops once its token is cancelled (clusterctl simulate passes the token of
/// Ctrl-C / SIGTERM): a cancelled token makes each reader throw, and the same input reads in full without one.
/// </summary>
public sealed class InputCancellationTests
{
    private static readonly string Cib = ScaleCluster.Cib(200, ScaleCase.NodeLost);

    [Fact]
    public void CibImport_CancelledToken_Throws()
    {
        Assert.True(CibImporter.ImportInterruptible(Cib, "scale.xml", includeStatus: true, TestContext.Current.CancellationToken).Succeeded);
        Assert.Throws<OperationCanceledException>(() => CibImporter.ImportInterruptible(Cib, "scale.xml", includeStatus: true, Cancelled()));
    }

    [Fact]
    public void CrmParse_CancelledToken_Throws()
    {
        var crm = CrmWriter.Write(CibImporter.Import(Cib).Config!);
        Assert.True(CrmParser.ParseInterruptible(crm, "scale.crm", TestContext.Current.CancellationToken).Succeeded);
        Assert.Throws<OperationCanceledException>(() => CrmParser.ParseInterruptible(crm, "scale.crm", Cancelled()));
    }

    [Fact]
    public void StatusJsonRead_CancelledToken_Throws()
    {
        var json = StatusJson.Write(CibImporter.Import(Cib).Status!);
        Assert.True(StatusJson.ReadInterruptible(json, "status.json", TestContext.Current.CancellationToken).Succeeded);
        Assert.Throws<OperationCanceledException>(() => StatusJson.ReadInterruptible(json, "status.json", Cancelled()));
    }

    private static CancellationToken Cancelled() => new(canceled: true);
}
