using NUnit.Framework;

namespace Ppp.Chat.Tests;

[TestFixture]
public sealed class PhoneScheduleTests
{
    /// <summary>ppp(8)'s example list, "1234567|2345678:3456789|4567890", as set phone stores it.</summary>
    private static PhoneSchedule Example() => new([["1234567", "2345678"], ["3456789", "4567890"]]);

    [Test]
    public void Next_EveryAttemptFails_AlternativesThenNextGroupThenOver()
    {
        var phones = Example();
        var numbers = Enumerable.Range(0, 5).Select(_ => phones.Next()).ToList();
        Assert.That(numbers, Is.EqualTo(new[] { "1234567", "2345678", "3456789", "4567890", "1234567" }));
        Assert.That(phones.Current, Is.EqualTo("1234567"));
    }

    [Test]
    public void Next_AfterConnected_SkipsTheRestOfTheGroup()
    {
        var phones = Example();
        Assert.That(phones.Next(), Is.EqualTo("1234567"));
        phones.Connected();
        Assert.That(phones.Next(), Is.EqualTo("3456789"));
        phones.Connected();
        Assert.That(phones.Next(), Is.EqualTo("1234567"));
    }

    [Test]
    public void Next_BackupConnected_NextGroupAnyway()
    {
        var phones = Example();
        phones.Next();
        Assert.That(phones.Next(), Is.EqualTo("2345678"));
        phones.Connected();
        Assert.That(phones.Next(), Is.EqualTo("3456789"));
    }

    [Test]
    public void AtEndOfList_OnlyWhenTheNextNumberStartsOver()
    {
        var phones = Example();
        var ends = new List<bool> { phones.AtEndOfList };
        for (int i = 0; i < 4; i++)
        {
            phones.Next();
            ends.Add(phones.AtEndOfList);
        }
        Assert.That(ends, Is.EqualTo(new[] { false, false, false, false, true }));
        var connected = Example();
        connected.Next();
        connected.Next();
        connected.Next();
        connected.Connected();
        Assert.That(connected.AtEndOfList, Is.True);
    }

    [Test]
    public void Next_ColonsOnly_Rotates()
    {
        var phones = new PhoneSchedule([["1"], ["2"], ["3"]]);
        Assert.That(Enumerable.Range(0, 4).Select(_ => phones.Next()), Is.EqualTo(new[] { "1", "2", "3", "1" }));
    }

    [Test]
    public void Next_NoNumbers_EmptyAndEndOfList()
    {
        var phones = new PhoneSchedule([]);
        Assert.That((phones.Next(), phones.AtEndOfList), Is.EqualTo(("", true)));
    }

    [Test]
    public void Constructor_EmptyGroup_Throws() =>
        Assert.That(() => new PhoneSchedule([["1"], []]), Throws.ArgumentException);
}
