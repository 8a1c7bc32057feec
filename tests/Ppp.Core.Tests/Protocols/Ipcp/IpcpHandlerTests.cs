using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Ipcp;
using static Ppp.Core.Tests.Protocols.Ipcp.HandlerDriver;

namespace Ppp.Core.Tests.Protocols.Ipcp;

[TestFixture]
public class IpcpHandlerTests
{
    private static IfAddr IfAddr(string line)
    {
        var (value, error) = IpcpConfig.ParseIfAddr(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.That(error, Is.Null, line);
        return value!;
    }

    private static IpcpHandler Handler(string ifaddr, bool enableDns = false, bool acceptDns = false,
        string? dns = null, string? nbns = null, Ipv4AddressPool? pool = null)
    {
        string[] d = dns?.Split(' ') ?? [];
        string[] n = nbns?.Split(' ') ?? [];
        var config = new IpcpConfig
        {
            IfAddr = IfAddr(ifaddr),
            EnableDns = enableDns,
            AcceptDns = acceptDns,
            PrimaryDns = d.Length > 0 ? IPAddress.Parse(d[0]) : null,
            SecondaryDns = d.Length > 1 ? IPAddress.Parse(d[1]) : null,
            PrimaryNbns = n.Length > 0 ? IPAddress.Parse(n[0]) : null,
            SecondaryNbns = n.Length > 1 ? IPAddress.Parse(n[1]) : null,
        };
        return new IpcpHandler(config, NullLogger.Instance, pool);
    }

    [TestCase("03 06 0a 00 00 63", "IPCP: peer asks for 10.0.0.99: Nak with 10.0.0.2")]
    [TestCase("03 06 0a 00 00 63 02 06 00 2d 0f 01", "IPCP: peer asks for 10.0.0.99: rejecting other options first (then a Nak with 10.0.0.2)")]
    public void Judge_AddressNak_LoggedAsWhatGoesOut(string request, string line)
    {
        var logs = new Ppp.Core.Tests.Support.CapturingLoggerFactory();
        var handler = new IpcpHandler(new IpcpConfig { IfAddr = IfAddr("10.0.0.1 10.0.0.2") }, logs.CreateLogger("IPCP"));

        Judge(handler, request);

        Assert.That(logs.Text, Has.One.StartsWith(line));
        Assert.That(logs.Text.Count(l => l.Contains(": Nak with", StringComparison.Ordinal)), Is.EqualTo(request.Length > 20 ? 0 : 1));
    }

    [Test]
    public void Judge_PeerAsksForOurOwnAddress_BlamesThatNotAShortage()
    {
        var logs = new Ppp.Core.Tests.Support.CapturingLoggerFactory();
        var handler = new IpcpHandler(new IpcpConfig { IfAddr = IfAddr("10.0.0.1 0.0.0.0/0") }, logs.CreateLogger("IPCP"));

        var verdict = Judge(handler, "03 06 0a 00 00 01");

        Assert.That(verdict.Kind, Is.EqualTo("Reject"));
        Assert.That(logs.Text, Has.One.StartsWith("IPCP: peer asks for 10.0.0.1, which is our own address: rejecting IPADDR"));
    }

    // ---- Our request ---------------------------------------------------------------------

    [TestCase("", false, "03 06 00 00 00 00")]
    [TestCase("10.0.0.1/24", false, "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.255 0.0.0.0", false, "03 06 00 00 00 00")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.255 10.9.9.9", false, "03 06 0a 09 09 09")]
    [TestCase("", true, "03 06 00 00 00 00 81 06 00 00 00 00 83 06 00 00 00 00")]
    public void WriteRequest_Config_RequestsAddressAndDns(string ifaddr, bool enableDns, string expected)
    {
        Assert.That(Request(Handler(ifaddr, enableDns)), Is.EqualTo(expected));
    }

    [Test]
    public void WriteRequest_EnableNbns_AsksForNameServersToo()
    {
        var handler = new IpcpHandler(new IpcpConfig { EnableNbns = true }, NullLogger.Instance);

        Assert.That(Request(handler), Is.EqualTo("03 06 00 00 00 00 82 06 00 00 00 00 84 06 00 00 00 00"));
    }

    // ---- Judging the peer's request ------------------------------------------------------

    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 0a 00 00 05", "Ack", "03 06 0a 00 00 05")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 0a 00 00 02", "Ack", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 00 00 00 00", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 c0 a8 01 01", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 0a 00 00 01", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 7f 00 00 01", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 ff ff ff ff", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2/24", "03 06 e0 00 00 01", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1", "03 06 c0 a8 01 01", "Ack", "03 06 c0 a8 01 01")]
    [TestCase("10.0.0.1", "03 06 00 00 00 00", "Reject", "03 06 00 00 00 00")]
    [TestCase("10.0.0.1", "03 06 0a 00 00 01", "Reject", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1 10.0.0.2/0", "03 06 ac 10 00 09", "Ack", "03 06 ac 10 00 09")]
    [TestCase("10.0.0.1 10.0.0.2", "02 06 00 2d 0f 01", "Reject", "02 06 00 2d 0f 01")]
    [TestCase("10.0.0.1 10.0.0.2", "03 06 0a 00 00 02 02 06 00 2d 0f 01", "Reject", "02 06 00 2d 0f 01")]
    [TestCase("10.0.0.1 10.0.0.2", "01 0a 0a 00 00 02 0a 00 00 01", "Reject", "01 0a 0a 00 00 02 0a 00 00 01")]
    [TestCase("10.0.0.1 10.0.0.2", "07 02", "Reject", "07 02")]
    [TestCase("10.0.0.1 10.0.0.2", "90 03 00", "Reject", "90 03 00")]
    [TestCase("10.0.0.1 10.0.0.2", "03 05 0a 00 00", "Reject", "03 05 0a 00 00")]
    [TestCase("10.0.0.1 10.0.0.2", "03 07 0a 00 00 02 00", "Reject", "03 07 0a 00 00 02 00")]
    [TestCase("10.0.0.1 10.0.0.2", "03 02", "Reject", "03 02")]
    [TestCase("10.0.0.1 10.0.0.2", "03 06 0a 00 00 02 03 06 0a 00 00 02", "Reject", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1 10.0.0.2", "03 06 00 00 00 00 07 02", "Reject", "07 02")]
    [TestCase("10.0.0.1 10.0.0.2", "", "Nak", "03 06 0a 00 00 02")]
    [TestCase("10.0.0.1", "", "Ack", "")]
    public void JudgeRequest_PeerAddress_AcksNaksOrRejects(string ifaddr, string request, string kind, string options)
    {
        var verdict = Judge(Handler(ifaddr), request);

        Assert.That(verdict, Is.EqualTo(new Verdict(kind, options)));
    }

    [TestCase(true, "8.8.8.8 1.1.1.1", "81 06 00 00 00 00", "Nak", "81 06 08 08 08 08")]
    [TestCase(true, "8.8.8.8 1.1.1.1", "81 06 08 08 08 08", "Ack", "81 06 08 08 08 08")]
    [TestCase(true, "8.8.8.8 1.1.1.1", "81 06 09 09 09 09", "Nak", "81 06 08 08 08 08")]
    [TestCase(true, "8.8.8.8 1.1.1.1", "81 06 00 00 00 00 83 06 00 00 00 00", "Nak", "81 06 08 08 08 08 83 06 01 01 01 01")]
    [TestCase(true, "8.8.8.8", "81 06 00 00 00 00 83 06 00 00 00 00", "Reject", "83 06 00 00 00 00")]
    [TestCase(true, null, "81 06 00 00 00 00", "Reject", "81 06 00 00 00 00")]
    [TestCase(false, "8.8.8.8 1.1.1.1", "81 06 00 00 00 00", "Reject", "81 06 00 00 00 00")]
    [TestCase(true, "8.8.8.8 1.1.1.1", "81 05 00 00 00", "Reject", "81 05 00 00 00")]
    [TestCase(true, "8.8.8.8 1.1.1.1", "83 02", "Reject", "83 02")]
    public void JudgeRequest_PeerAsksForDns_AnswersFromSetDnsWhenAccepted(bool acceptDns, string? dns, string request, string kind, string options)
    {
        var handler = Handler("10.0.0.1 10.0.0.2", acceptDns: acceptDns, dns: dns);

        Assert.That(Judge(handler, "03 06 0a 00 00 02 " + request), Is.EqualTo(new Verdict(kind, kind == "Ack" ? "03 06 0a 00 00 02 " + options : options)));
    }

    [TestCase("192.168.1.5 192.168.1.6", "82 06 00 00 00 00 84 06 00 00 00 00", "Nak", "82 06 c0 a8 01 05 84 06 c0 a8 01 06")]
    [TestCase("192.168.1.5", "82 06 00 00 00 00", "Nak", "82 06 c0 a8 01 05")]
    [TestCase("192.168.1.5", "82 06 c0 a8 01 05", "Ack", "82 06 c0 a8 01 05")]
    [TestCase("192.168.1.5", "84 06 00 00 00 00", "Reject", "84 06 00 00 00 00")]
    [TestCase(null, "82 06 00 00 00 00", "Reject", "82 06 00 00 00 00")]
    public void JudgeRequest_PeerAsksForNbns_AnswersFromSetNbns(string? nbns, string request, string kind, string options)
    {
        var handler = Handler("10.0.0.1", nbns: nbns);

        Assert.That(Judge(handler, request), Is.EqualTo(new Verdict(kind, options)));
    }

    [Test]
    public void JudgeRequest_AfterMaxFailure_NakBecomesReject()
    {
        var verdict = Judge(Handler("10.0.0.1 10.0.0.2"), "03 06 00 00 00 00", naksBecomeRejects: true);

        Assert.That(verdict, Is.EqualTo(new Verdict("Reject", "03 06 00 00 00 00")));
    }

    [Test]
    public void JudgeRequest_PeerKeepsAskingForZero_NaksThreeTimesThenRejects()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");

        var verdicts = Enumerable.Range(0, 5).Select(_ => Judge(handler, "03 06 00 00 00 00").Kind).ToArray();

        Assert.That(verdicts, Is.EqualTo(new[] { "Nak", "Nak", "Nak", "Reject", "Reject" }));
    }

    [Test]
    public void JudgeRequest_PeerKeepsWrongDns_NaksThreeTimesThenRejects()
    {
        var handler = Handler("10.0.0.1 10.0.0.2", acceptDns: true, dns: "8.8.8.8");

        var verdicts = Enumerable.Range(0, 4).Select(_ => Judge(handler, "81 06 00 00 00 00").Kind).ToArray();

        Assert.That(verdicts, Is.EqualTo(new[] { "Nak", "Nak", "Nak", "Reject" }));
    }

    [Test]
    public void JudgeRequest_NewNegotiation_ForgetsNakCount()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");
        for (int i = 0; i < 3; i++)
            Judge(handler, "03 06 00 00 00 00");

        handler.ResetNegotiation();

        Assert.That(Judge(handler, "03 06 00 00 00 00").Kind, Is.EqualTo("Nak"));
    }

    // ---- Peers seen in the field ---------------------------------------------------------

    /// <summary>slirp asks for 0.0.0.0 and VJ; we refuse VJ, then give it its address.</summary>
    [Test]
    public void Slirp_AsksZeroAndVj_RejectVjThenNakAddressThenAck()
    {
        var handler = Handler("10.0.2.2 10.0.2.15");

        Assert.Multiple(() =>
        {
            Assert.That(Judge(handler, "03 06 00 00 00 00 02 06 00 2d 0f 01"),
                Is.EqualTo(new Verdict("Reject", "02 06 00 2d 0f 01")));
            Assert.That(Judge(handler, "03 06 00 00 00 00"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 02 0f")));
            Assert.That(JudgeAndCommit(handler, "03 06 0a 00 02 0f").Kind, Is.EqualTo("Ack"));
        });
        AckOursAndUp(handler);
        Assert.That(handler.Result, Is.EqualTo(new IpcpResult(
            IPAddress.Parse("10.0.2.2"), IPAddress.Parse("10.0.2.15"), null, null, null, null)));
    }

    /// <summary>pppd with its own address and no DNS options; we asked for DNS and get rejected.</summary>
    [Test]
    public void Pppd_OwnAddressNoDns_AckedAndDnsStopsBeingAsked()
    {
        var handler = Handler("0.0.0.0/0 0.0.0.0/0", enableDns: true);

        Assert.That(JudgeAndCommit(handler, "03 06 c0 a8 05 01").Kind, Is.EqualTo("Ack"));
        Assert.That(handler.ApplyReject(Hex("81 06 00 00 00 00 83 06 00 00 00 00")), Is.True);
        Assert.That(Request(handler), Is.EqualTo("03 06 00 00 00 00"));
        Assert.That(handler.ApplyNak(Hex("03 06 c0 a8 05 02")), Is.True);
        Assert.That(Request(handler), Is.EqualTo("03 06 c0 a8 05 02"));
        AckOursAndUp(handler);

        Assert.That(handler.Result, Is.EqualTo(new IpcpResult(
            IPAddress.Parse("192.168.5.2"), IPAddress.Parse("192.168.5.1"), null, null, null, null)));
    }

    [Test]
    public void NoAddressPeer_WithHisAddr_SuggestsOnceThenAcksAndUsesHisAddr()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");

        Assert.That(Judge(handler, ""), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 00 02")));
        Assert.That(JudgeAndCommit(handler, "").Kind, Is.EqualTo("Ack"));
        AckOursAndUp(handler);

        Assert.That(handler.Result!.RemoteAddress, Is.EqualTo(IPAddress.Parse("10.0.0.2")));
        Assert.That(handler.Result.LocalAddress, Is.EqualTo(IPAddress.Parse("10.0.0.1")));
    }

    [Test]
    public void NoAddressPeer_WithoutHisAddr_AckedWithNoRemoteAddress()
    {
        var handler = Handler("0.0.0.0/0", enableDns: true);

        Assert.That(JudgeAndCommit(handler, "").Kind, Is.EqualTo("Ack"));
        Assert.That(handler.ApplyNak(Hex("03 06 0a 40 00 07 81 06 0a 0b 0c 0d 83 06 0a 0b 0c 0e")), Is.True);
        AckOursAndUp(handler);

        Assert.That(handler.Result, Is.EqualTo(new IpcpResult(
            IPAddress.Parse("10.64.0.7"), null, IPAddress.Parse("10.11.12.13"), IPAddress.Parse("10.11.12.14"), null, null)));
    }

    [Test]
    public void RefusedPeer_ThenSilent_GetsNoRemoteAddress()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");
        for (int i = 0; i < 4; i++)
            Judge(handler, "03 06 c0 a8 00 09");

        Assert.That(JudgeAndCommit(handler, "").Kind, Is.EqualTo("Ack"));
        AckOursAndUp(handler);

        Assert.That(handler.Result!.RemoteAddress, Is.Null);
    }

    // ---- Pools ---------------------------------------------------------------------------

    [Test]
    public void Pool_TwoLinks_GetDifferentAddresses()
    {
        var pool = new Ipv4AddressPool(IfAddr("10.0.0.1 10.0.1.2-10.0.1.3").HisPool);
        var first = Handler("10.0.0.1 10.0.1.2-10.0.1.3", pool: pool);
        var second = Handler("10.0.0.1 10.0.1.2-10.0.1.3", pool: pool);

        Assert.That(Judge(first, "03 06 00 00 00 00"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 01 02")));
        Assert.That(Judge(second, "03 06 00 00 00 00"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 01 03")));
        Assert.That(Judge(second, "03 06 0a 00 01 02"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 01 03")));
        Assert.That(Judge(first, "03 06 0a 00 01 02").Kind, Is.EqualTo("Ack"));
    }

    [Test]
    public void Pool_PeerAsksForFreeAddress_GetsIt()
    {
        var handler = Handler("10.0.0.1 10.0.1.2-10.0.1.10,10.0.1.20");

        Assert.That(JudgeAndCommit(handler, "03 06 0a 00 01 14").Kind, Is.EqualTo("Ack"));
        Assert.That(Judge(handler, "03 06 0a 00 01 0b"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 01 14")));
    }

    [Test]
    public void Pool_Exhausted_RejectsAddressAndReleasesOnFinish()
    {
        var pool = new Ipv4AddressPool(IfAddr("10.0.0.1 10.0.1.2-10.0.1.2").HisPool);
        var holder = Handler("10.0.0.1 10.0.1.2-10.0.1.2", pool: pool);
        var late = Handler("10.0.0.1 10.0.1.2-10.0.1.2", pool: pool);
        JudgeAndCommit(holder, "03 06 0a 00 01 02");

        Assert.That(Judge(late, "03 06 00 00 00 00"), Is.EqualTo(new Verdict("Reject", "03 06 00 00 00 00")));

        holder.LayerFinished();
        Assert.That(pool.InUse, Is.Zero);
        Assert.That(Judge(late, "03 06 00 00 00 00"), Is.EqualTo(new Verdict("Nak", "03 06 0a 00 01 02")));
    }

    // ---- Naks and Rejects of our request -------------------------------------------------

    [TestCase("0.0.0.0/0", "03 06 0a 01 01 01", "03 06 0a 01 01 01")]
    [TestCase("10.0.0.1/24", "03 06 0a 00 00 09", "03 06 0a 00 00 09")]
    [TestCase("10.0.0.1/24", "03 06 0a 09 09 09", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1", "03 06 0a 00 00 09", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1/0", "03 06 00 00 00 00", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1/0", "03 06 7f 00 00 01", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.255 0.0.0.0", "03 06 0a 00 00 01", "03 06 0a 00 00 01")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.255 0.0.0.0", "03 06 0a 00 00 05", "03 06 00 00 00 00")]
    [TestCase("0.0.0.0/0", "02 06 00 2d 0f 01", "03 06 00 00 00 00")]
    [TestCase("0.0.0.0/0", "81 06 08 08 08 08", "03 06 00 00 00 00")]
    [TestCase("0.0.0.0/0", "c8 02", "03 06 00 00 00 00")]
    public void ApplyNak_Suggestion_TakenOnlyWithinMyRange(string ifaddr, string nak, string nextRequest)
    {
        var handler = Handler(ifaddr);

        Assert.That(handler.ApplyNak(Hex(nak)), Is.True);
        Assert.That(Request(handler), Is.EqualTo(nextRequest));
    }

    [TestCase("81 06 08 08 08 08", "03 06 00 00 00 00 81 06 08 08 08 08 83 06 00 00 00 00")]
    [TestCase("81 06 08 08 08 08 83 06 08 08 04 04", "03 06 00 00 00 00 81 06 08 08 08 08 83 06 08 08 04 04")]
    [TestCase("83 06 00 00 00 00", "03 06 00 00 00 00 81 06 00 00 00 00 83 06 00 00 00 00")]
    public void ApplyNak_DnsSuggestion_RequestedBack(string nak, string nextRequest)
    {
        var handler = Handler("", enableDns: true);

        Assert.That(handler.ApplyNak(Hex(nak)), Is.True);
        Assert.That(Request(handler), Is.EqualTo(nextRequest));
    }

    [TestCase("03 05 0a 00 00")]
    [TestCase("03 07 0a 00 00 01 02")]
    [TestCase("81 02")]
    [TestCase("03 06 0a 00")]
    [TestCase("03")]
    [TestCase("03 01 00 00 00 00")]
    public void ApplyNak_Malformed_ReturnsFalseAndKeepsRequest(string nak)
    {
        var handler = Handler("", enableDns: true);
        string before = Request(handler);

        Assert.That(handler.ApplyNak(Hex(nak)), Is.False);
        Assert.That(Request(handler), Is.EqualTo(before));
    }

    [TestCase("03 06 00 00 00 00", "81 06 00 00 00 00 83 06 00 00 00 00")]
    [TestCase("81 06 00 00 00 00", "03 06 00 00 00 00 83 06 00 00 00 00")]
    [TestCase("81 06 00 00 00 00 83 06 00 00 00 00", "03 06 00 00 00 00")]
    [TestCase("03 06 00 00 00 00 81 06 00 00 00 00 83 06 00 00 00 00", "")]
    public void ApplyReject_OurOptions_StopsAskingForThem(string reject, string nextRequest)
    {
        var handler = Handler("", enableDns: true);

        Assert.That(handler.ApplyReject(Hex(reject)), Is.True);
        Assert.That(Request(handler), Is.EqualTo(nextRequest));
    }

    [TestCase("02 06 00 2d 0f 01")]
    [TestCase("82 06 00 00 00 00")]
    [TestCase("03 06 00 00 00 00 02 06 00 2d 0f 01")]
    [TestCase("03 05 00 00 00")]
    [TestCase("03 06 00 00")]
    public void ApplyReject_WhatWeDidNotSend_ReturnsFalseAndKeepsRequest(string reject)
    {
        var handler = Handler("", enableDns: true);
        string before = Request(handler);

        Assert.That(handler.ApplyReject(Hex(reject)), Is.False);
        Assert.That(Request(handler), Is.EqualTo(before));
    }

    [Test]
    public void ResetNegotiation_AfterRejects_AsksAgain()
    {
        var handler = Handler("", enableDns: true);
        handler.ApplyReject(Hex("81 06 00 00 00 00 83 06 00 00 00 00"));
        handler.ApplyNak(Hex("03 06 0a 00 00 07"));

        handler.ResetNegotiation();

        Assert.That(Request(handler), Is.EqualTo("03 06 00 00 00 00 81 06 00 00 00 00 83 06 00 00 00 00"));
    }

    [Test]
    public void AddressRejected_LayerUp_UsesConfiguredMyAddr()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");
        handler.ApplyReject(Hex("03 06 0a 00 00 01"));
        JudgeAndCommit(handler, "03 06 0a 00 00 02");

        AckOursAndUp(handler);

        Assert.That(handler.Result!.LocalAddress, Is.EqualTo(IPAddress.Parse("10.0.0.1")));
    }

    // ---- Layer events --------------------------------------------------------------------

    [Test]
    public void LayerUpThenDown_RaisesEventsAndClearsResult()
    {
        var handler = Handler("10.0.0.1 10.0.0.2");
        IpcpResult? up = null;
        int downs = 0;
        handler.Up += r => up = r;
        handler.Down += () => downs++;
        JudgeAndCommit(handler, "03 06 0a 00 00 02");

        AckOursAndUp(handler);
        Assert.That(up, Is.SameAs(handler.Result));
        Assert.That(up!.RemoteAddress, Is.EqualTo(IPAddress.Parse("10.0.0.2")));

        handler.LayerDown();
        Assert.That(handler.Result, Is.Null);
        Assert.That(downs, Is.EqualTo(1));
    }

    [TestCase((byte)7, new byte[] { 1, 2, 0, 4 }, ExtraCodeResult.RejectCatastrophic)]
    [TestCase((byte)7, new byte[] { 9, 2, 0, 4 }, ExtraCodeResult.RejectPermitted)]
    [TestCase((byte)7, new byte[0], ExtraCodeResult.RejectPermitted)]
    [TestCase((byte)9, new byte[] { 0, 0, 0, 0 }, ExtraCodeResult.NotHandled)]
    [TestCase((byte)14, new byte[0], ExtraCodeResult.NotHandled)]
    public void HandleOtherCode_Code_Classified(byte code, byte[] data, ExtraCodeResult expected)
    {
        Assert.That(Handler("").HandleOtherCode(code, 1, data, FsmState.Opened), Is.EqualTo(expected));
    }

    // ---- Log text ------------------------------------------------------------------------

    [TestCase("03", "0a 00 00 01", "IPADDR", "10.0.0.1")]
    [TestCase("02", "00 2d 0f 01", "COMPPROTO", "VJ 16 slots with slot compression")]
    [TestCase("02", "00 2d 0f 00", "COMPPROTO", "VJ 16 slots without slot compression")]
    [TestCase("02", "00 61", "COMPPROTO", "0x0061")]
    [TestCase("81", "08 08 08 08", "PRIDNS", "8.8.8.8")]
    [TestCase("83", "01 01 01 01", "SECDNS", "1.1.1.1")]
    [TestCase("82", "c0 a8 00 01", "PRINBNS", "192.168.0.1")]
    [TestCase("84", "c0 a8 00 02", "SECNBNS", "192.168.0.2")]
    [TestCase("01", "0a 00 00 01 0a 00 00 02", "IPADDRS", "10.0.0.1 10.0.0.2")]
    [TestCase("03", "0a 00", "IPADDR", "[bad length 4] 0a00")]
    [TestCase("02", "", "COMPPROTO", "[bad length 2]")]
    [TestCase("c8", "01 02", "OPT200", "0102")]
    public void DescribeOption_Option_PppStyleText(string type, string data, string name, string value)
    {
        var described = Handler("").DescribeOption(Hex(type)[0], Hex(data));

        Assert.That(described, Is.EqualTo((name, value)));
    }

    // ---- Robustness ----------------------------------------------------------------------

    [Test]
    public void AnyMethod_RandomBytes_NeverThrows()
    {
        var random = new Random(1332);
        var pool = new Ipv4AddressPool(IfAddr("10.0.0.1 10.0.1.2-10.0.1.4").HisPool);
        IpcpHandler[] handlers =
        [
            Handler(""),
            Handler("10.0.0.1/24 10.0.0.2/24 255.255.255.0 0.0.0.0", enableDns: true, acceptDns: true, dns: "8.8.8.8 1.1.1.1", nbns: "10.0.0.9"),
            Handler("10.0.0.1 10.0.1.2-10.0.1.4", pool: pool),
            Handler("10.0.0.1 10.0.1.2-10.0.1.4", enableDns: true, pool: pool),
        ];
        Assert.DoesNotThrow(() =>
        {
            for (int i = 0; i < 20000; i++)
            {
                var handler = handlers[i % handlers.Length];
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                // Bias towards our option types so the interesting branches run.
                if (bytes.Length > 1 && random.Next(2) == 0)
                    bytes[0] = (byte)(random.Next(2) == 0 ? random.Next(1, 4) : random.Next(129, 133));
                ExerciseAll(handler, bytes, random.Next(2) == 0);
            }
        });
    }
}
