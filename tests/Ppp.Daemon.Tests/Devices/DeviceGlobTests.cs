using NUnit.Framework;
using Ppp.Core.Config;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Tests.Devices;

/// <summary><see cref="DeviceGlob"/> on a temporary folder standing in for /dev and /dev/serial/by-id.</summary>
[TestFixture]
internal sealed class DeviceGlobTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("uppp-glob-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private static DeviceSpec Tty(string path) => DeviceSpec.Parse(path).Value!;

    [Test]
    public void Resolve_Glob_ListsMatchesInNameOrder()
    {
        foreach (string name in new[] { "ttyUSB2", "ttyUSB0", "ttyS0" })
            File.WriteAllText(Path.Combine(_dir, name), "");
        var resolved = DeviceGlob.Resolve(Tty(Path.Combine(_dir, "ttyUSB*")));
        Assert.That(resolved.Select(d => Path.GetFileName(d.Path)), Is.EqualTo(new[] { "ttyUSB0", "ttyUSB2" }));
    }

    [Test]
    public void Resolve_GlobWithNoMatch_IsEmpty() =>
        Assert.That(DeviceGlob.Resolve(Tty(Path.Combine(_dir, "ttyACM?"))), Is.Empty);

    [Test]
    public void Resolve_PlainPath_IsItselfEvenWhenMissing()
    {
        var spec = Tty(Path.Combine(_dir, "ttyUSB0"));
        Assert.That(DeviceGlob.Resolve(spec), Is.EqualTo(new[] { spec }));
    }

    [Test]
    public void Target_ByIdLink_IsTheDeviceItNamesNow()
    {
        string device = Path.Combine(_dir, "ttyUSB3");
        File.WriteAllText(device, "");
        string byId = Path.Combine(_dir, "usb-Quectel_EG25-if02-port0");
        File.CreateSymbolicLink(byId, device);
        Assert.That(DeviceGlob.Target(byId), Is.EqualTo(device));
    }

    [Test]
    public void AnyPresent_AfterTheDeviceAppears_IsTrue()
    {
        var list = new List<DeviceSpec> { Tty(Path.Combine(_dir, "ttyUSB*")) };
        Assert.That(DeviceGlob.AnyPresent(list), Is.False);
        File.WriteAllText(Path.Combine(_dir, "ttyUSB1"), "");
        Assert.That(DeviceGlob.AnyPresent(list), Is.True);
    }
}
