using NUnit.Framework;
using Ppp.Core.Config;

namespace Ppp.Core.Tests.Commands;

/// <summary>The cellular recovery variables (issue 15): set reset, resetafter, resetwait, resetat, provision, and enable resetalways.</summary>
[TestFixture]
public sealed class CellularCommandsTests
{
    [Test]
    public void Defaults_AsTheVendorsRetryAndResetWait()
    {
        var s = new BundleSettings();
        Assert.Multiple(() =>
        {
            Assert.That(s.Reset, Is.EqualTo(new ResetSettings(null, 3, 30, null)));
            Assert.That(s.ResetAlways, Is.False);
            Assert.That(s.ProvisionScript, Is.Null);
        });
    }

    [Test]
    public void Set_AllOfThem_AreStored()
    {
        var f = new InterpreterFixture();
        f.Ok("set reset \"\\\"\\\" AT+CFUN=1,1 OK\"");
        f.Ok("set resetafter 5");
        f.Ok("set resetwait 45");
        f.Ok("set resetat 3:00");
        f.Ok("enable resetalways");
        f.Ok("set provision \"\\\"\\\" AT+CGDCONT=1,\\\"IP\\\",\\\"soracom.io\\\" OK\"");
        Assert.Multiple(() =>
        {
            Assert.That(f.Settings.Reset, Is.EqualTo(new ResetSettings("\"\" AT+CFUN=1,1 OK", 5, 45, new TimeOnly(3, 0))));
            Assert.That(f.Settings.ResetAlways, Is.True);
            Assert.That(f.Settings.ProvisionScript, Is.EqualTo("\"\" AT+CGDCONT=1,\"IP\",\"soracom.io\" OK"));
        });
    }

    [Test]
    public void SetReset_Command_IsACommandAndNoArgumentClearsIt()
    {
        var f = new InterpreterFixture();
        f.Ok("set reset \"!/usr/local/bin/usb-power-cycle 1-1\"");
        Assert.That(f.Settings.Reset.IsCommand, Is.True);
        f.Ok("set reset");
        Assert.That(f.Settings.Reset.Script, Is.Null);
    }

    [TestCase("set resetat 23:59:30", 23, 59, 30)]
    [TestCase("set resetat 00:00", 0, 0, 0)]
    public void SetResetAt_Valid_IsTheLocalTime(string line, int h, int m, int sec)
    {
        var f = new InterpreterFixture();
        f.Ok(line);
        Assert.That(f.Settings.Reset.At, Is.EqualTo(new TimeOnly(h, m, sec)));
    }

    [TestCase("set resetat none")]
    [TestCase("set resetat")]
    public void SetResetAt_NoneOrNothing_Clears(string line)
    {
        var f = new InterpreterFixture();
        f.Ok("set resetat 03:00");
        f.Ok(line);
        Assert.That(f.Settings.Reset.At, Is.Null);
    }

    [TestCase("set resetat 24:00", "is not a time of day")]
    [TestCase("set resetat 3pm", "is not a time of day")]
    [TestCase("set resetat 03:00 04:00", "too many arguments")]
    [TestCase("set resetafter -1", "resetafter")]
    [TestCase("set resetafter 10001", "resetafter")]
    [TestCase("set resetafter", "want 1 argument")]
    [TestCase("set resetwait 3601", "resetwait")]
    [TestCase("set resetwait x", "resetwait")]
    public void Set_Invalid_SaysWhyAndChangesNothing(string line, string error)
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error(line), Does.Contain(error));
        Assert.That(f.Settings.Reset, Is.EqualTo(new ResetSettings()));
    }

    [Test]
    public void ShowLink_NamesTheResetSettings()
    {
        var f = new InterpreterFixture();
        f.Ok("set reset \"\\\"\\\" AT+CFUN=1,1 OK\"");
        f.Ok("set resetat 03:00");
        f.Ok("enable resetalways");
        f.Ok("show link");
        Assert.That(f.Output.ToString(), Does.Contain(" Reset:   reset chat script, after 3 failed dials, wait 30 s, daily at 03:00:00, after every disconnect (resetalways)"));
    }

    [Test]
    public void ShowProvision_WithoutALink_SaysSettingsOnly()
    {
        var f = new InterpreterFixture(withRuntime: false);
        f.Ok("set provision \"\\\"\\\" AT+CGDCONT=1,\\\"IP\\\",\\\"apn\\\" OK\"");
        f.Ok("show provision");
        Assert.That(f.Output.ToString(), Is.EqualTo("Provision: script set\n(no link: settings only)\n"));
    }
}
