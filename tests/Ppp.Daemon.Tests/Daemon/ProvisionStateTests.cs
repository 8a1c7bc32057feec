using NUnit.Framework;
using Ppp.Daemon.Daemon;

namespace Ppp.Daemon.Tests.Daemon;

/// <summary><see cref="ProvisionState"/>: the hash of <c>set provision</c> and its state file.</summary>
[TestFixture]
internal sealed class ProvisionStateTests
{
    private string _dir = "";

    [SetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("uppp-state-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Hash_DiffersWhenTheApnDiffers() =>
        Assert.That(ProvisionState.Hash("\"\" AT+CGDCONT=1,\"IP\",\"apn1\" OK"), Is.Not.EqualTo(ProvisionState.Hash("\"\" AT+CGDCONT=1,\"IP\",\"apn2\" OK")));

    [Test]
    public void WriteThenRead_GivesTheHashAndTimeBackAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_dir, "sub", "provision.cellular");
        var at = new DateTimeOffset(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);
        string hash = ProvisionState.Hash("x");

        Assert.That(ProvisionState.Write(path, hash, at), Is.Null);

        Assert.Multiple(() =>
        {
            Assert.That(ProvisionState.Read(path), Is.EqualTo((hash, (DateTimeOffset?)at)));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void Read_MissingOrForeignFile_IsNothing()
    {
        string path = Path.Combine(_dir, "provision.x");
        Assert.That(ProvisionState.Read(path), Is.EqualTo(((string?)null, (DateTimeOffset?)null)));
        File.WriteAllText(path, "not ours\n");
        Assert.That(ProvisionState.Read(path), Is.EqualTo(((string?)null, (DateTimeOffset?)null)));
    }

    [Test]
    public void Write_UnwritableDirectory_SaysWhyAndThrowsNothing()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        Assert.That(ProvisionState.Write(Path.Combine(file, "provision.x"), ProvisionState.Hash("x"), DateTimeOffset.UnixEpoch), Is.Not.Null);
    }

    [TestCase("cellular", "provision.cellular")]
    [TestCase("a b/c", "provision.a_b_c")]
    [TestCase(null, "provision.default")]
    public void PathFor_Label_IsASafeFileName(string? label, string name) =>
        Assert.That(Path.GetFileName(ProvisionState.PathFor(label)), Is.EqualTo(name));
}
