using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// <c>set metrics</c> over real HTTP (issue 17): two daemons over PPP-over-TCP in two
/// namespaces, A with <c>set metrics 9100</c> and LCP echoes; once the link carries pings, curl
/// inside A's namespace scrapes the endpoint as Prometheus would, and the figures must be the
/// link's, in a text promtool accepts; <c>show metrics</c> at the prompt prints the same families.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class MetricsTests : IntegrationFixture
{
    private const int Port = 6010;

    [Test]
    public void Metrics_LinkUp_ServedOverHttpWithTheLinksFiguresAndByShowMetrics()
    {
        DaemonEnvironment.RequireTools("socat", "ping", "curl");
        NetworkNamespace a = Rig.Namespace();
        NetworkNamespace b = Rig.Namespace();
        NetworkNamespace.Connect(a, "10.95.0.1/24", b, "10.95.0.2/24");
        PppConf confA = Rig.Conf("A", Configs.Default + $"""
            client:
             set device 10.95.0.2:{Port}/tcp
             set ifaddr 10.96.0.2 10.96.0.1
             set metrics 9100
             enable echo
             set echoperiod 1
            """);
        PppConf confB = Rig.Conf("B", Configs.Default + """
            server:
             set ifaddr 10.96.0.1 10.96.0.2
            """);
        ChildProcess socat = Rig.Start(b, "socat B", "socat", "-d", "-d", $"TCP-LISTEN:{Port},reuseaddr", $"EXEC:{confB.WriteWrapper()} -direct server");
        Assert.That(b.WaitListening(Port, TimeSpan.FromSeconds(10)), Is.True, $"socat does not listen\n{Rig.Describe()}");

        ChildProcess daemonA = Rig.Daemon(a, confA, "-interactive", "client");
        confA.Log.WaitFor(@"metrics: listening on tcp 127\.0\.0\.1:9100", TimeSpan.FromSeconds(30), Rig.Describe, daemonA);
        daemonA.WriteLine("dial");
        confA.Log.WaitFor(LogPatterns.IpcpUp, LinkChecks.UpTimeout, Rig.Describe, daemonA);
        string ifA = LinkChecks.WaitForAddress(Rig, a, "10.96.0.2");
        LinkChecks.AssertPings(Rig, a, "10.96.0.1");

        // An echo answered (1 s period) gives the RTT; until then its family is left out.
        string body = "";
        Assert.That(Poll.Until(() => (body = Scrape(a).Body).Contains("ppp_lcp_echo_rtt_seconds{", StringComparison.Ordinal), TimeSpan.FromSeconds(15)), Is.True,
            $"no echo round trip in the metrics:\n{body}\n{Rig.Describe()}");
        var (status, headers, text) = Scrape(a);
        Assert.That(status, Is.EqualTo("HTTP/1.1 200 OK"), headers + Rig.Describe());
        Assert.That(headers, Does.Contain("Content-Type: text/plain; version=0.0.4; charset=utf-8"));

        var families = ExpositionParser.Parse(text).ToDictionary(f => f.Name);
        double Value(string name, string? label = null, string? value = null) =>
            families[name].Samples.Single(s => label is null || s.Label(label) == value).Value;
        Assert.Multiple(() =>
        {
            Assert.That(families.Values.SelectMany(f => f.Samples).Select(s => s.Label("interface")).Distinct(), Is.EqualTo(new[] { ifA }));
            Assert.That(Value("ppp_phase", "phase", "network"), Is.EqualTo(1));
            Assert.That(Value("ppp_device_state", "state", "open"), Is.EqualTo(1));
            Assert.That(Value("ppp_datalink_state", "state", "open"), Is.EqualTo(1));
            Assert.That(Value("ppp_connects_total"), Is.EqualTo(1));
            Assert.That(Value("ppp_protocol_up", "protocol", "lcp"), Is.EqualTo(1));
            Assert.That(Value("ppp_protocol_up", "protocol", "ipcp"), Is.EqualTo(1));
            // Three pings each way at least (the kernel may add its own packets).
            Assert.That(Value("ppp_transmit_packets_total"), Is.GreaterThanOrEqualTo(3));
            Assert.That(Value("ppp_receive_packets_total"), Is.GreaterThanOrEqualTo(3));
            Assert.That(Value("ppp_transmit_bytes_total"), Is.GreaterThanOrEqualTo(3 * 84), "three 84-octet echo requests");
            Assert.That(Value("ppp_hdlc_frames_total"), Is.GreaterThan(0));
            Assert.That(Value("ppp_hdlc_errors_total", "kind", "bad_fcs"), Is.Zero);
            Assert.That(Value("ppp_lcp_echo_requests_total"), Is.GreaterThanOrEqualTo(1));
            Assert.That(Value("ppp_lcp_echo_rtt_seconds"), Is.GreaterThan(0).And.LessThan(5));
            Assert.That(Value("ppp_network_uptime_seconds"), Is.GreaterThan(0));
            Assert.That(Value("ppp_metrics_http_responses_total", "code", "200"), Is.GreaterThanOrEqualTo(1), "the earlier scrapes are counted");
            Assert.That(families["ppp_info"].Samples.Single().Label("label"), Is.EqualTo("client"));
        });
        ProcessResult lint = Promtool.CheckMetrics(text);
        Assert.That((lint.ExitCode, lint.StdOut + lint.StdErr), Is.EqualTo((0, "")), lint.Describe());

        ProcessResult missing = a.Run(TimeSpan.FromSeconds(20), "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:9100/");
        Assert.That(missing.StdOut.Trim(), Is.EqualTo("404"), missing.Describe());

        daemonA.WriteLine("show metrics");
        Assert.That(Poll.Until(() => daemonA.StdOut.Contains("# TYPE ppp_network_uptime_seconds gauge", StringComparison.Ordinal), TimeSpan.FromSeconds(10)), Is.True,
            $"show metrics printed no exposition\n{Rig.Describe()}");
        Assert.That(daemonA.StdOut, Does.Contain($"ppp_phase{{interface=\"{ifA}\",phase=\"network\"}} 1"));

        daemonA.WriteLine("quit");
        Assert.That(LinkChecks.WaitForExit(Rig, daemonA, TimeSpan.FromSeconds(15)), Is.Zero, Rig.Describe());
        LinkChecks.WaitForExit(Rig, socat, TimeSpan.FromSeconds(15));
    }

    /// <summary>GET /metrics with curl inside <paramref name="ns"/>: the status line, the header block and the body.</summary>
    private (string Status, string Headers, string Body) Scrape(NetworkNamespace ns)
    {
        ProcessResult result = ns.Run(TimeSpan.FromSeconds(20), "curl", "-sS", "-i", "--max-time", "10", "http://127.0.0.1:9100/metrics");
        Assert.That(result.ExitCode, Is.Zero, result.Describe() + Rig.Describe());
        // The runner reads curl's output line by line: CR LF comes back as LF.
        string text = result.StdOut.Replace("\r", "", StringComparison.Ordinal);
        int split = text.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.That(split, Is.GreaterThan(0), result.Describe());
        string headers = text[..split];
        return (headers.Split('\n')[0], headers, text[(split + 2)..]);
    }
}
