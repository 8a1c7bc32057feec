using System.Text;
using NUnit.Framework;
using Ppp.Daemon.Control;

namespace Ppp.Control.Tests.Daemon;

[TestFixture]
public sealed class MetricsRequestTests
{
    [TestCase("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nrest", 34)]
    [TestCase("GET /metrics HTTP/1.1\n\n", 23)]
    [TestCase("GET /metrics HTTP/1.1\r\nHost: a\n\r\n", 33)]
    [TestCase("GET /metrics HTTP/1.1\r\nHost: a\r\n", -1)]
    [TestCase("", -1)]
    public void FindHeadEnd_FindsTheEmptyLine(string received, int end) =>
        Assert.That(MetricsRequest.FindHeadEnd(Encoding.ASCII.GetBytes(received)), Is.EqualTo(end));

    [TestCase("GET /metrics HTTP/1.1\r\n\r\n", 200, false)]
    [TestCase("GET /metrics?name[]=ppp_phase HTTP/1.0\r\n\r\n", 200, false)]
    [TestCase("HEAD /metrics HTTP/1.1\r\n\r\n", 200, true)]
    [TestCase("GET /Metrics HTTP/1.1\r\n\r\n", 404, false)]
    [TestCase("GET http://host/metrics HTTP/1.1\r\n\r\n", 404, false)]
    [TestCase("DELETE /metrics HTTP/1.1\r\n\r\n", 405, false)]
    [TestCase("get /metrics HTTP/1.1\r\n\r\n", 405, false)]
    [TestCase("GET  /metrics HTTP/1.1\r\n\r\n", 400, false)]
    [TestCase("GET /metrics\r\n\r\n", 400, false)]
    [TestCase("GET /metrics HTTP/1.1 x\r\n\r\n", 400, false)]
    [TestCase("\r\n\r\n", 400, false)]
    public void Parse_RequestLine_Judges(string head, int status, bool headOnly) =>
        Assert.That(MetricsRequest.Parse(Encoding.ASCII.GetBytes(head)), Is.EqualTo(new MetricsRequest(status, headOnly)));

    [Test]
    public void Parse_NonAscii_Is400() =>
        Assert.That(MetricsRequest.Parse([.. "GET /m\u00e9trics HTTP/1.1\r\n\r\n"u8]).Status, Is.EqualTo(400));

    [Test]
    public void ResponseHead_405_SaysWhatIsAllowed() =>
        Assert.That(Encoding.ASCII.GetString(MetricsRequest.ResponseHead(405, "text/plain", 3)),
            Is.EqualTo("HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nAllow: GET, HEAD\r\nConnection: close\r\n\r\n"));
}
