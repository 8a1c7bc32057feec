namespace Ppp.Daemon.Tests.Support;

/// <summary>
/// Waits on conditions the daemon reaches in its own time (a log line, an address, an exit):
/// polling with a deadline, so a fast machine does not wait and a slow one does not flake.
/// </summary>
internal static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);

    /// <summary>True as soon as <paramref name="condition"/> holds; false if it never did within <paramref name="timeout"/>.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(interval ?? s_interval);
        }
    }
}
