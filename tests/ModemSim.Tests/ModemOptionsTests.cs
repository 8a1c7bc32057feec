using NUnit.Framework;
using Ppp.ModemSim.At;

namespace Ppp.ModemSim.Tests;

[TestFixture]
public sealed class ModemOptionsTests
{
    [Test]
    public void Parse_NoArguments_GivesTheDefaults()
    {
        ModemOptions? options = ModemOptions.Parse([], out string? error);

        Assert.That(options, Is.EqualTo(new ModemOptions()), error);
    }

    [Test]
    public void Parse_DialWithCount_FailsThatManyDials()
    {
        ModemOptions? options = ModemOptions.Parse(["--dial", "no-carrier:2", "--peer-tcp", "127.0.0.1:2000"], out _);

        Assert.That(options, Is.EqualTo(new ModemOptions
        {
            DialResult = ResultCode.NoCarrier,
            DialFailures = 2,
            Peer = PeerKind.Tcp,
            PeerTarget = "127.0.0.1:2000",
        }));
    }

    [TestCase("--dial", "ringing", "--dial wants")]
    [TestCase("--dial", "busy:x", "--dial wants")]
    [TestCase("--peer-tcp", "localhost", "--peer-tcp wants")]
    [TestCase("--byte-delay", "-1", "invalid value")]
    [TestCase("--frobnicate", "1", "unknown option")]
    public void Parse_BadArgument_SaysWhy(string name, string value, string why)
    {
        ModemOptions? options = ModemOptions.Parse([name, value], out string? error);

        Assert.Multiple(() =>
        {
            Assert.That(options, Is.Null);
            Assert.That(error, Does.Contain(why));
        });
    }

    [Test]
    public void Parse_OptionWithoutItsValue_SaysSo()
    {
        Assert.That(ModemOptions.Parse(["--link"], out string? error), Is.Null);
        Assert.That(error, Is.EqualTo("--link needs a value"));
    }
}
