namespace ClusterD.Agents.Tests;

public sealed class OcfExitCodesTests
{
    [Theory]
    [InlineData(OcfExitCode.Success, "OCF_SUCCESS", OcfFailureSeverity.None)]
    [InlineData(OcfExitCode.GenericError, "OCF_ERR_GENERIC", OcfFailureSeverity.Soft)]
    [InlineData(OcfExitCode.InvalidArgument, "OCF_ERR_ARGS", OcfFailureSeverity.Hard)]
    [InlineData(OcfExitCode.Unimplemented, "OCF_ERR_UNIMPLEMENTED", OcfFailureSeverity.Hard)]
    [InlineData(OcfExitCode.InsufficientPrivileges, "OCF_ERR_PERM", OcfFailureSeverity.Hard)]
    [InlineData(OcfExitCode.NotInstalled, "OCF_ERR_INSTALLED", OcfFailureSeverity.Hard)]
    [InlineData(OcfExitCode.NotConfigured, "OCF_ERR_CONFIGURED", OcfFailureSeverity.Fatal)]
    [InlineData(OcfExitCode.NotRunning, "OCF_NOT_RUNNING", OcfFailureSeverity.Soft)]
    [InlineData(OcfExitCode.RunningPromoted, "OCF_RUNNING_PROMOTED", OcfFailureSeverity.Soft)]
    [InlineData(OcfExitCode.FailedPromoted, "OCF_FAILED_PROMOTED", OcfFailureSeverity.Soft)]
    public void EveryCode_HasSymbolAndPacemakerSeverity(OcfExitCode code, string symbol, OcfFailureSeverity severity)
    {
        Assert.Equal(symbol, code.Symbol());
        Assert.Equal(severity, code.Severity());
        Assert.NotEqual("unknown", code.Describe());
        Assert.Equal(code, OcfExitCodes.FromOcfStatus((int)code));
    }

    [Theory]
    [InlineData(190, OcfExitCode.Success)]
    [InlineData(191, OcfExitCode.RunningPromoted)]
    [InlineData(10, OcfExitCode.GenericError)]
    [InlineData(126, OcfExitCode.GenericError)]
    [InlineData(127, OcfExitCode.GenericError)]
    [InlineData(-1, OcfExitCode.GenericError)]
    public void FromOcfStatus_OutOfRange_IsGenericErrorExceptDegraded(int status, OcfExitCode expected) =>
        Assert.Equal(expected, OcfExitCodes.FromOcfStatus(status));

    [Fact]
    public void Result_TimedOut_IsSoftAndNotSuccess()
    {
        var timedOut = new AgentResult(OcfExitCode.GenericError, AgentExecutionStatus.TimedOut, TimeSpan.FromSeconds(20));
        var cancelled = timedOut with { Status = AgentExecutionStatus.Cancelled };

        Assert.False(timedOut.IsSuccess);
        Assert.Equal(OcfFailureSeverity.Soft, timedOut.Severity);
        Assert.Equal(OcfFailureSeverity.None, cancelled.Severity);
        Assert.Equal("OCF_ERR_GENERIC", timedOut.Name);
    }

    [Fact]
    public void Actions_RoundTripThroughOcfNames()
    {
        foreach (var action in AgentActions.All)
        {
            Assert.True(AgentActions.TryParse(action.ToOcfName(), out var parsed));
            Assert.Equal(action, parsed);
        }

        Assert.False(AgentActions.TryParse("Start", out _));
        Assert.False(AgentActions.TryParse("reload", out _));
        Assert.Equal("start, stop, monitor, promote, demote, notify, validate-all, meta-data", AgentActions.Names);
    }
}
