using NUnit.Framework;
using Ppp.Core.Protocols.Ipcp;

namespace Ppp.Core.Tests.Protocols.Ipcp;

[TestFixture]
public class IfAddrTests
{
    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [TestCase("", "0.0.0.0/0", "0.0.0.0/0", "", null, null)]
    [TestCase("10.0.0.1", "10.0.0.1/32", "0.0.0.0/0", "", null, null)]
    [TestCase("0.0.0.0", "0.0.0.0/0", "0.0.0.0/0", "", null, null)]
    [TestCase("0 0", "0.0.0.0/0", "0.0.0.0/0", "", null, null)]
    [TestCase("0.0.0.0/32", "0.0.0.0/32", "0.0.0.0/0", "", null, null)]
    [TestCase("192.244.177.38/24 192.244.177.2/20", "192.244.177.38/24", "192.244.177.2/20", "", null, null)]
    [TestCase("10.0.0.1/0 10.0.0.2/0 0.0.0.0 0.0.0.0", "10.0.0.1/0", "10.0.0.2/0", "", "0.0.0.0", "0.0.0.0")]
    [TestCase("192.244.177.38 192.244.177.2 255.255.255.255 0.0.0.0", "192.244.177.38/32", "192.244.177.2/32", "", "255.255.255.255", "0.0.0.0")]
    [TestCase("10.0.0.1 10.0.1.2-10.0.1.10,10.0.1.20", "10.0.0.1/32", "0.0.0.0/0", "10.0.1.2-10.0.1.10,10.0.1.20", null, null)]
    [TestCase("10.0.0.1 10.0.1.2-10.0.1.2", "10.0.0.1/32", "0.0.0.0/0", "10.0.1.2", null, null)]
    [TestCase("10.0.0.1 10.0.1.5,10.0.1.7", "10.0.0.1/32", "0.0.0.0/0", "10.0.1.5,10.0.1.7", null, null)]
    [TestCase("10.0.0.1 10.0.0.2 0.0.0.0", "10.0.0.1/32", "10.0.0.2/32", "", "0.0.0.0", null)]
    public void Parse_GoodArguments_GivesSettings(string line, string my, string his, string pool, string? netmask, string? trigger)
    {
        var (value, error) = IpcpConfig.ParseIfAddr(Words(line));

        Assert.That(error, Is.Null);
        Assert.That(value, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(value!.MyAddress.ToString(), Is.EqualTo(my));
            Assert.That(value.HisAddress.ToString(), Is.EqualTo(his));
            Assert.That(string.Join(',', value.HisPool), Is.EqualTo(pool));
            Assert.That(value.HasPool, Is.EqualTo(pool.Length > 0));
            Assert.That(value.Netmask?.ToString(), Is.EqualTo(netmask));
            Assert.That(value.TriggerAddress?.ToString(), Is.EqualTo(trigger));
        });
    }

    [TestCase("10.0.0", "myaddr", "10.0.0")]
    [TestCase("10.0.0.256", "myaddr", "10.0.0.256")]
    [TestCase("10.0.0.1.5", "myaddr", "10.0.0.1.5")]
    [TestCase("1", "myaddr", "\"1\"")]
    [TestCase("0x0a.0.0.1", "myaddr", "0x0a.0.0.1")]
    [TestCase("a.b.c.d", "myaddr", "a.b.c.d")]
    [TestCase("10.0.0.1/33", "myaddr", "/nn")]
    [TestCase("10.0.0.1/", "myaddr", "/nn")]
    [TestCase("10.0.0.1/ab", "myaddr", "10.0.0.1/ab")]
    [TestCase("10.0.0.1/-1", "myaddr", "10.0.0.1/-1")]
    [TestCase("10.0.0.1 10.0.0.2/40", "hisaddr", "10.0.0.2/40")]
    [TestCase("10.0.0.1 10.0.1.9-10.0.1.2", "hisaddr", "ends before it starts")]
    [TestCase("10.0.0.1 10.0.1.2-", "hisaddr", "10.0.1.2-")]
    [TestCase("10.0.0.1 10.0.1.2,,10.0.1.4", "hisaddr", "pool")]
    [TestCase("10.0.0.1 10.0.1.2/24,10.0.1.4", "hisaddr", "10.0.1.2/24")]
    [TestCase("10.0.0.1 127.0.0.1-127.0.0.5", "hisaddr", "cannot use")]
    [TestCase("10.0.0.1 0.0.0.0-10.0.0.5", "hisaddr", "cannot use")]
    [TestCase("10.0.0.1 10.0.0.1", "hisaddr", "also myaddr")]
    [TestCase("10.0.0.1 10.0.0.2 255.0.255.0", "netmask", "not contiguous")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255", "netmask", "255.255.255")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.0 x", "triggeraddr", "\"x\"")]
    [TestCase("10.0.0.1 10.0.0.2 255.255.255.0 0.0.0.0 extra", "too many arguments", "usage")]
    public void Parse_BadArguments_ReturnsErrorNamingTheWord(string line, string what, string word)
    {
        var (value, error) = IpcpConfig.ParseIfAddr(Words(line));

        Assert.That(value, Is.Null);
        Assert.That(error, Does.StartWith(what));
        Assert.That(error, Does.Contain(word));
    }

    [Test]
    public void Parse_EmptyWord_ReturnsError()
    {
        var (value, error) = IpcpConfig.ParseIfAddr([""]);

        Assert.That(value, Is.Null);
        Assert.That(error, Does.StartWith("myaddr"));
    }

    [TestCase("192.244.177.38/24", "192.244.177.0", true)]
    [TestCase("192.244.177.38/24", "192.244.177.255", true)]
    [TestCase("192.244.177.38/24", "192.244.178.1", false)]
    [TestCase("192.244.177.2/20", "192.244.176.0", true)]
    [TestCase("192.244.177.2/20", "192.244.191.255", true)]
    [TestCase("192.244.177.2/20", "192.244.192.0", false)]
    [TestCase("10.0.0.2/32", "10.0.0.2", true)]
    [TestCase("10.0.0.2/32", "10.0.0.3", false)]
    [TestCase("10.0.0.2/0", "172.16.5.4", true)]
    public void Range_Contains_FollowsPrefixLength(string range, string address, bool expected)
    {
        var (value, _) = IpcpConfig.ParseIfAddr([range]);

        Assert.That(value!.MyAddress.Contains(System.Net.IPAddress.Parse(address)), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_RandomWords_NeverThrows()
    {
        var random = new Random(1172);
        const string alphabet = "0123456789./-,x ";
        Assert.DoesNotThrow(() =>
        {
            for (int i = 0; i < 20000; i++)
            {
                var chars = new char[random.Next(0, 60)];
                for (int c = 0; c < chars.Length; c++)
                    chars[c] = alphabet[random.Next(alphabet.Length)];
                var (value, error) = IpcpConfig.ParseIfAddr(Words(new string(chars)));
                Assert.That(value is null, Is.Not.EqualTo(error is null));
            }
        });
    }
}
