using NUnit.Framework;
using Ppp.Daemon.Tests.Support;

namespace Ppp.Daemon.Tests.Scenarios;

/// <summary>
/// A ppp.conf with a mistake: the daemon names the file and line, exits non-zero, and never
/// opens the device or creates a tun. Issue 3, scenario 5.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ConfigErrorTests : IntegrationFixture
{
    private const int Port = 6001;

    // Line 5 is the faulty one (Configs.Default is lines 1-2). "" is plain `ppp broken`.
    [TestCase("-check", " frobnicate the link", "frobnicate")]
    [TestCase("", " frobnicate the link", "frobnicate")]
    [TestCase("-check", " set mru banana", "banana")]
    [TestCase("", " set mru banana", "banana")]
    public void Daemon_ConfigLineInError_NamesFileAndLineAndExitsNonZeroWithoutTouchingTheDevice(string mode, string faultyLine, string word)
    {
        DaemonEnvironment.RequireTools("socat", "ss");
        NetworkNamespace ns = Rig.Namespace();
        PppConf conf = Rig.Conf("ours", Configs.Default + $"""
            broken:
             set device 127.0.0.1:{Port}/tcp
            {faultyLine}
             set ifaddr 10.95.0.1 10.95.0.2
            """);

        // The device is a listener that reports any connection: the daemon must not dial.
        ChildProcess listener = Rig.Start(ns, "socat listener", "socat", "-d", "-d", $"TCP-LISTEN:{Port},reuseaddr", "OPEN:/dev/null");
        Assert.That(ns.WaitListening(Port, TimeSpan.FromSeconds(10)), Is.True, listener.Describe());

        ChildProcess daemon = Rig.Daemon(ns, conf, mode.Length == 0 ? ["broken"] : [mode, "broken"]);
        int exitCode = LinkChecks.WaitForExit(Rig, daemon, TimeSpan.FromSeconds(20));

        string said = daemon.StdOut + daemon.StdErr;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero, Rig.Describe());
            Assert.That(said, Does.Contain("ppp.conf:5:"), Rig.Describe());
            Assert.That(said, Does.Contain(word), Rig.Describe());
            Assert.That(ns.PppInterfaces(), Is.Empty, Rig.Describe());
            Assert.That(listener.StdErr, Does.Not.Contain("accepting connection"), Rig.Describe());
        });
    }
}
