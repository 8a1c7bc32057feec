namespace Ppp.Core.Tests.Support;

/// <summary>
/// A link loop the test turns by hand: posted actions wait until <see cref="RunOne"/> or
/// <see cref="RunAll"/>, so a test can model a loop that is behind the reader.
/// </summary>
internal sealed class ManualLoop
{
    private readonly Queue<Action> _actions = new();

    /// <summary>Actions waiting.</summary>
    public int Pending => _actions.Count;

    /// <summary>The most that ever waited at once.</summary>
    public int PeakPending { get; private set; }

    public void Post(Action action)
    {
        _actions.Enqueue(action);
        PeakPending = Math.Max(PeakPending, _actions.Count);
    }

    /// <summary>Runs the oldest action, if any.</summary>
    public bool RunOne()
    {
        if (!_actions.TryDequeue(out var action))
            return false;
        action();
        return true;
    }

    /// <summary>Runs actions (those they post included) until none is left.</summary>
    public void RunAll()
    {
        while (RunOne())
        {
        }
    }
}
