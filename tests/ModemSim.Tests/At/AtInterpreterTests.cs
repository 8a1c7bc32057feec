using NUnit.Framework;
using Ppp.ModemSim.At;

namespace Ppp.ModemSim.Tests.At;

[TestFixture]
public sealed class AtInterpreterTests
{
    [TestCase("AT")]
    [TestCase("at")]
    [TestCase("ATL1M0X4")]
    [TestCase("AT&C1&D2&K3")]
    [TestCase("AT+CMEE=2")]
    public void Execute_AcceptedLine_AnswersOkWithoutAction(string line)
    {
        AtReply reply = new AtInterpreter().Execute(line);

        Assert.That(reply, Is.EqualTo(new AtReply(reply.Info, ResultCode.Ok)));
    }

    [Test]
    public void Execute_SeveralBasicCommandsOnOneLine_AppliesEach()
    {
        var at = new AtInterpreter();

        AtReply reply = at.Execute("ATE0Q0V0");

        Assert.Multiple(() =>
        {
            Assert.That(reply.Final, Is.EqualTo(ResultCode.Ok));
            Assert.That((at.Echo, at.Quiet, at.Verbose), Is.EqualTo((false, false, false)));
        });
    }

    [TestCase("ATJ")]
    [TestCase("ATE2")]
    [TestCase("AT+NOPE")]
    [TestCase("AT&Z")]
    [TestCase("ATS200=1")]
    [TestCase("AT+CFUN=2")]
    [TestCase("AT+CFUN=1,2")]
    [TestCase("AT+CGDCONT=0,\"IP\",\"apn\"")]
    [TestCase("AT+CGDCONT=17,\"IP\",\"apn\"")]
    [TestCase("AT+CGDCONT=1,\"X25\",\"apn\"")]
    [TestCase("AT+CGDCONT=1,\"IP\",\"apn")]
    [TestCase("AT+CGDCONT")]
    [TestCase("HELLO")]
    public void Execute_UnknownOrMalformed_AnswersError(string line)
    {
        Assert.That(new AtInterpreter().Execute(line).Final, Is.EqualTo(ResultCode.Error));
    }

    [Test]
    public void Execute_ErrorAfterAValidCommand_KeepsTheEarlierEffect()
    {
        var at = new AtInterpreter();

        AtReply reply = at.Execute("ATE0J");

        Assert.Multiple(() =>
        {
            Assert.That(reply.Final, Is.EqualTo(ResultCode.Error));
            Assert.That(at.Echo, Is.False);
        });
    }

    [Test]
    public void Execute_CgdcontSetThenRead_ListsTheContextAndCountsTheWrite()
    {
        var at = new AtInterpreter();

        at.Execute("AT+CGDCONT=1,\"IP\",\"CHAP:dream.jp\"");
        AtReply read = at.Execute("AT+CGDCONT?");

        Assert.Multiple(() =>
        {
            Assert.That(read.Info, Is.EqualTo(new[] { "+CGDCONT: 1,\"IP\",\"CHAP:dream.jp\",\"0.0.0.0\",0,0" }));
            Assert.That(at.CgdcontWrites, Is.EqualTo(1));
        });
    }

    [Test]
    public void Execute_CgdcontCidAlone_UndefinesTheContextAndCountsAWrite()
    {
        var at = new AtInterpreter();
        at.Execute("AT+CGDCONT=2,\"IPV4V6\",\"a\"");

        at.Execute("AT+CGDCONT=2");

        Assert.Multiple(() =>
        {
            Assert.That(at.Contexts, Is.Empty);
            Assert.That(at.CgdcontWrites, Is.EqualTo(2));
        });
    }

    [Test]
    public void Execute_CgdcontWithFailureInjected_AnswersErrorAndWritesNothing()
    {
        var at = new AtInterpreter { FailCgdcont = true };

        AtReply reply = at.Execute("AT+CGDCONT=1,\"IP\",\"apn\"");

        Assert.Multiple(() =>
        {
            Assert.That(reply.Final, Is.EqualTo(ResultCode.Error));
            Assert.That(at.CgdcontWrites, Is.Zero);
            Assert.That(at.Contexts, Is.Empty);
        });
    }

    [Test]
    public void Execute_CgdcontTest_ListsTheRangeForEachPdpType()
    {
        AtReply reply = new AtInterpreter().Execute("AT+CGDCONT=?");

        Assert.That(reply.Info, Has.Count.EqualTo(4).And.Contains("+CGDCONT: (1-16),\"IP\",,,(0-2),(0-4)"));
    }

    [Test]
    public void Execute_AtzAfterChanges_RestoresTheProfileButKeepsContexts()
    {
        var at = new AtInterpreter();
        at.Execute("ATE0V0S12=10+CGDCONT=1,\"IP\",\"apn\"");

        at.Execute("ATZ");

        Assert.Multiple(() =>
        {
            Assert.That((at.Echo, at.Verbose, at.Registers[12]), Is.EqualTo((true, true, (byte)50)));
            Assert.That(at.Contexts.Keys, Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public void Execute_CfunReset_PowerCyclesAndAsksTheEngineToReset()
    {
        var at = new AtInterpreter();
        at.Execute("ATE0+CFUN=4");

        AtReply reply = at.Execute("AT+CFUN=1,1");

        Assert.Multiple(() =>
        {
            Assert.That(reply.Action, Is.EqualTo(AtAction.Reset));
            Assert.That(reply.Final, Is.EqualTo(ResultCode.Ok));
            Assert.That((at.Echo, at.Functionality), Is.EqualTo((true, 1)));
        });
    }

    [TestCase("AT+CFUN?", "+CFUN: 1")]
    [TestCase("AT+CSQ", "+CSQ: 20,99")]
    [TestCase("AT+COPS?", "+COPS: 0,0,\"UserPpp Mobile\",7")]
    [TestCase("AT+CPIN?", "+CPIN: READY")]
    [TestCase("AT+CREG?", "+CREG: 0,1")]
    [TestCase("ATS12?", "050")]
    [TestCase("ATI", "UserPpp modem simulator")]
    public void Execute_Query_AnswersTheInformationLine(string line, string info)
    {
        AtReply reply = new AtInterpreter().Execute(line);

        Assert.That(reply, Is.EqualTo(new AtReply(reply.Info, ResultCode.Ok)).And.Property(nameof(AtReply.Info)).EqualTo(new[] { info }));
    }

    [Test]
    public void Execute_ExtendedCommandsSeparatedBySemicolons_AnswersEach()
    {
        AtReply reply = new AtInterpreter().Execute("AT+CSQ;+CFUN?");

        Assert.That(reply.Info, Is.EqualTo(new[] { "+CSQ: 20,99", "+CFUN: 1" }));
    }

    [Test]
    public void Execute_RadioOff_SignalAndOperatorShowNoService()
    {
        var at = new AtInterpreter();
        at.Execute("AT+CFUN=4");

        Assert.That(at.Execute("AT+CSQ").Info, Is.EqualTo(new[] { "+CSQ: 99,99" }));
    }

    [Test]
    public void Execute_Dial_TakesTheRestOfTheLineAfterEarlierCommands()
    {
        var at = new AtInterpreter();

        AtReply reply = at.Execute("ATE0DT*99***1#");

        Assert.Multiple(() =>
        {
            Assert.That(reply, Is.EqualTo(new AtReply(reply.Info, null, AtAction.Dial, "T*99***1#")));
            Assert.That(at.Echo, Is.False);
        });
    }

    [TestCase("ATH", "Hangup", "Ok")]
    [TestCase("ATH0", "Hangup", "Ok")]
    [TestCase("ATO", "Online", "")]
    public void Execute_CallControl_ReturnsTheAction(string line, string action, string final)
    {
        AtReply reply = new AtInterpreter().Execute(line);

        Assert.That((reply.Action.ToString(), reply.Final?.ToString() ?? ""), Is.EqualTo((action, final)));
    }

    [Test]
    public void Format_Verbose_FramesInfoAndResultWithCrLf()
    {
        var at = new AtInterpreter();

        Assert.That(at.Format(at.Execute("AT+CSQ")), Is.EqualTo("\r\n+CSQ: 20,99\r\n\r\nOK\r\n"));
    }

    [Test]
    public void FormatResult_NumericAndQuiet_FollowV0AndQ1()
    {
        var at = new AtInterpreter();
        at.Execute("ATV0");
        string numeric = at.FormatResult(ResultCode.Busy);
        at.Execute("ATQ1");

        Assert.Multiple(() =>
        {
            Assert.That(numeric, Is.EqualTo("7\r"));
            Assert.That(at.FormatResult(ResultCode.Ok), Is.Empty);
        });
    }

    [Test]
    public void FormatResult_ConnectWithSpeed_AppendsIt()
    {
        Assert.That(new AtInterpreter().FormatResult(ResultCode.Connect, "115200"), Is.EqualTo("\r\nCONNECT 115200\r\n"));
    }
}
