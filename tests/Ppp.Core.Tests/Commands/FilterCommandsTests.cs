using NUnit.Framework;
using Ppp.Core.Filters;

namespace Ppp.Core.Tests.Commands;

[TestFixture]
public sealed class FilterCommandsTests
{
    private static readonly string NL = Environment.NewLine;

    [Test]
    public void SetFilter_Rule_StoredInTheSettingsAndTheRuntimeTold()
    {
        var f = new InterpreterFixture();
        f.Ok("set filter in 0 deny ! tcp dst eq 80");
        f.Ok("set filt out 1 permit MYADDR any udp");
        var rule = f.Settings.Filters[FilterName.In].Rules[0];
        Assert.That(rule, Is.Not.Null);
        Assert.That(rule!.Format(), Is.EqualTo("deny ! any any tcp dst eq 80"));
        Assert.That(f.Settings.Filters[FilterName.Out].Rules[1]!.Source.Kind, Is.EqualTo(FilterAddressKind.MyAddr));
        Assert.That(f.Runtime!.SettingsChangedCount, Is.EqualTo(2));
    }

    [Test]
    public void SetFilter_ClearAndMinusOne_RemoveRules()
    {
        var f = new InterpreterFixture();
        f.Ok("set filter dial 0 permit udp");
        f.Ok("set filter dial 1 permit tcp");
        f.Ok("set filter dial 0 clear");
        Assert.That(f.Settings.Filters[FilterName.Dial].Rules[0], Is.Null);
        Assert.That(f.Settings.Filters[FilterName.Dial].Rules[1], Is.Not.Null);
        f.Ok("set filter dial -1");
        Assert.That(f.Settings.Filters[FilterName.Dial].IsEmpty, Is.True);
    }

    [Test]
    public void SetFilter_BadRule_NamesTheWordAndChangesNothing()
    {
        var f = new InterpreterFixture();
        f.Ok("set filter in 0 permit tcp");
        Assert.That(f.Error("set filter in 0 permit tcp dst eq 99999"),
            Does.StartWith("set filter: \"99999\" is not a port").And.Contain("usage: set filter in|out|dial|alive rule-no"));
        Assert.That(f.Settings.Filters[FilterName.In].Rules[0]!.DestinationOperator, Is.EqualTo(PortOperator.None));
    }

    [Test]
    public void SetFilter_BadRuleInConfig_ErrorHasFileAndLine()
    {
        var f = new InterpreterFixture(files: new()
        {
            ["/etc/ppp/ppp.conf"] = "default:\n set mru 1400\nwall:\n set filter in 0 permit tcp\n set filter in 1 permit bogus\n",
        });
        var errors = f.Interpreter.LoadSystem(["wall"], f.Output);
        Assert.That(errors, Has.Some.StartsWith("/etc/ppp/ppp.conf:5: set filter: \"bogus\" is not an address"));
        Assert.That(f.Settings.Filters[FilterName.In].Rules[0], Is.Not.Null);
    }

    [Test]
    public void SetFilter_Settings_AreCopiedByClone()
    {
        var f = new InterpreterFixture();
        f.Ok("set filter alive 0 permit tcp");
        var copy = f.Settings.Clone();
        f.Ok("set filter alive -1");
        Assert.That(copy.Filters[FilterName.Alive].Rules[0], Is.Not.Null);
        Assert.That(f.Settings.Filters[FilterName.Alive].IsEmpty, Is.True);
    }

    [Test]
    public void ShowFilter_Named_ListsItsRulesByNumber()
    {
        var f = new InterpreterFixture();
        f.Ok("set filter out 0 5 ! udp");
        f.Ok("set filter out 5 permit 10.0.0.0/8 HISADDR tcp src gt 1023 dst eq https estab timeout 60");
        f.Runtime!.Status = f.Runtime.Status with { OutFilterDrops = 7, InFilterDrops = 3 };
        f.Ok("show filter out");
        Assert.That(f.Output.ToString(), Is.EqualTo(
            "out:" + NL +
            "   0 5 ! any any udp" + NL +
            "   5 permit 10.0.0.0/8 HISADDR tcp src gt 1023 dst eq 443 estab timeout 60" + NL +
            "  denied: 7 packets" + NL));
    }

    [Test]
    public void ShowFilter_All_ListsTheFourWithTheirStateAndNoCountsWithoutADaemon()
    {
        var f = new InterpreterFixture(withRuntime: false);
        f.Ok("set filter in 3 deny icmp");
        f.Ok("set filter alive 0 permit");
        f.Ok("show filter");
        Assert.That(f.Output.ToString(), Is.EqualTo(
            "in:" + NL + "  no rule 0: every packet passes until rule 0 is set" + NL + "   3 deny any any icmp" + NL + NL +
            "out:" + NL + "  no rules: every packet passes" + NL + NL +
            "dial:" + NL + "  no rules: every packet passes" + NL + NL +
            "alive:" + NL + "   0 permit any any" + NL));
    }

    [Test]
    public void ShowFilter_BadName_Error()
    {
        var f = new InterpreterFixture();
        Assert.That(f.Error("show filter sideways"), Is.EqualTo("show filter: \"sideways\" is not a filter (in, out, dial or alive)"));
        Assert.That(f.Error("show filter in out"), Does.StartWith("show filter: too many arguments (2)"));
    }
}
