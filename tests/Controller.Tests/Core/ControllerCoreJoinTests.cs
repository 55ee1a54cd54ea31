using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.Controller.Tests.Simulation;

namespace ClusterD.Controller.Tests.Core;

/// <summary>The join between a DC and a member, input by input (both found by the fault simulation).</summary>
public sealed class ControllerCoreJoinTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void JoinRequest_BeforeTheMemberInstalledTheView_AnsweredOnceItDoes()
    {
        var member = new ControllerCore("hadb02", ["hadb01", "hadb02"], SeedShape.Config());
        member.Handle(View(4, "hadb01"), T0);

        // The DC installed view 5 a moment before this node did, and asks at once.
        var early = member.Handle(new MessageInput("hadb01", new JoinRequest(7, 5)), T0);
        var installed = member.Handle(View(5, "hadb01"), T0.AddMilliseconds(600));

        Assert.DoesNotContain(early, e => e is SendMessage { Message: JoinReply });
        Assert.Contains(installed, e => e is SendMessage { To: "hadb01", Message: JoinReply { JoinId: 7 } });
    }

    [Fact]
    public void JoinTimeout_MemberNeverAnswers_IsUncleanNotOffline()
    {
        var dc = new ControllerCore("hadb01", ["hadb01", "hadb02"], SeedShape.Config());
        dc.Handle(View(2, "hadb01"), T0);

        // No history from hadb02: nothing it may hold is known to be stopped, so it must be fenced before
        // anything of it is recovered, never planned around as if it were offline.
        var effects = dc.Handle(TickInput.Instance, T0 + new ControllerOptions().JoinTimeout);

        Assert.Contains("hadb02", dc.Unclean);
        Assert.True(dc.Status().FindNode("hadb02") is { Online: false, Unclean: true });
        Assert.DoesNotContain(effects, e => e is SendMessage { Message: ActionRequest { Op: ResourceManager.Scheduling.TransitionOp.Promote } });
    }

    private static ViewInput View(ulong seq, string dc) =>
        new(seq, $"1.{seq:x}", ["hadb01", "hadb02"], ["hadb01", "hadb02"], [], [], Quorate: true, dc);
}
