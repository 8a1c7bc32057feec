using NUnit.Framework;
using Ppp.Core.Link;

namespace Ppp.Core.Tests.Link;

[TestFixture]
public sealed class IpPacketSummaryTests
{
    // IPv4 header (20 octets, protocol at 9, addresses at 12 and 16) + the transport's first octets.
    [TestCase("45000034000040004006000a0a0000010a0000020016c6b8", "TCP 10.0.0.1:22 ---> 10.0.0.2:50872 (24)")]
    [TestCase("4500001c000000004011000a0a0000020a00000104d20035", "UDP 10.0.0.2:1234 ---> 10.0.0.1:53 (24)")]
    [TestCase("45000054000000004001000a0a0000010a0000020800", "ICMP 10.0.0.1 ---> 10.0.0.2 type 8 code 0 (22)")]
    [TestCase("4500001400002000402f000a0a0000010a000002", "IP proto 47 10.0.0.1 ---> 10.0.0.2 (20)")]
    [TestCase("4500", "IP: truncated IPv4 header (2)")]
    [TestCase("", "IP: empty packet")]
    [TestCase("1234", "IP: version 1? (2)")]
    public void Describe_Ipv4_OneLine(string hex, string expected)
    {
        Assert.That(IpPacketSummary.Describe(Convert.FromHexString(hex)), Is.EqualTo(expected));
    }

    [Test]
    public void Describe_Ipv6Udp_PortsInBrackets()
    {
        byte[] packet = new byte[48];
        packet[0] = 0x60;
        packet[6] = 17;
        packet[8] = 0xfe; packet[9] = 0x80; packet[23] = 1;
        packet[24] = 0xfe; packet[25] = 0x80; packet[39] = 2;
        packet[40] = 0x02; packet[41] = 0x22; packet[42] = 0x02; packet[43] = 0x23;
        Assert.That(IpPacketSummary.Describe(packet), Is.EqualTo("UDP [fe80::1]:546 ---> [fe80::2]:547 (48)"));
    }

    [Test]
    public void Describe_RandomBytes_NeverThrows()
    {
        var random = new Random(12);
        byte[] buffer = new byte[80];
        for (int i = 0; i < 20000; i++)
        {
            random.NextBytes(buffer);
            Assert.DoesNotThrow(() => IpPacketSummary.Describe(buffer.AsSpan(0, random.Next(buffer.Length + 1))));
        }
    }
}
