using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// Base of the scenario fixtures: a fresh <see cref="Rig"/> per test, torn down whatever
/// happened, with every log written to the test output when the test did not pass.
/// </summary>
public abstract class IntegrationFixture
{
    private Rig? _rig;

    internal Rig Rig => _rig ?? throw new InvalidOperationException("no rig outside a test");

    [SetUp]
    public void CreateRig() => _rig = Rig.Create();

    [TearDown]
    public void DisposeRig()
    {
        if (_rig is null)
        {
            return;
        }

        if (TestContext.CurrentContext.Result.Outcome.Status != TestStatus.Passed)
        {
            TestContext.Out.WriteLine(_rig.Describe());
        }

        _rig.Dispose();
        _rig = null;
    }
}
