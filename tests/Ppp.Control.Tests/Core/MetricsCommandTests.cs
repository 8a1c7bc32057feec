using NUnit.Framework;
using Ppp.Core.Control;

namespace Ppp.Control.Tests.Core;

[TestFixture]
public sealed class MetricsCommandTests
{
    [TestCase("9100", "tcp loopback:9100")]
    [TestCase("+9100", "tcp loopback:+9100")]
    [TestCase("0.0.0.0:9100", "tcp 0.0.0.0:9100")]
    [TestCase("[::]:+9100", "tcp [::]:+9100")]
    public void Parse_Port_Describes(string word, string expected)
    {
        var (command, error) = MetricsCommand.Parse([word]);
        Assert.That(error, Is.Null);
        Assert.That(command!.Endpoint!.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_None_HasNoEndpoint() =>
        Assert.That(MetricsCommand.Parse(["NONE"]).Command, Is.EqualTo(new MetricsCommand((ServerEndpoint?)null)));

    [TestCase("", "missing argument")]
    [TestCase("9100 extra", "too many arguments")]
    [TestCase("0", "is not a TCP port")]
    [TestCase("65536", "is not a TCP port")]
    [TestCase("/run/metrics.sock", "is not a TCP port")]
    [TestCase("host:9100", "is not an IP address")]
    public void Parse_Invalid_SaysWhy(string args, string why)
    {
        var (command, error) = MetricsCommand.Parse(args.Length == 0 ? [] : args.Split(' '));
        Assert.That(command, Is.Null);
        Assert.That(error, Does.Contain(why));
    }
}
