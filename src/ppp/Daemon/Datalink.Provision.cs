using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Daemon.Devices;

namespace Ppp.Daemon.Daemon;

/// <summary>The script of <c>set provision</c> and the state file it is judged against.</summary>
internal sealed record ProvisionPlan(string Script, string StateFile)
{
    public string Hash { get; } = ProvisionState.Hash(Script);
}

/// <summary>
/// <c>set provision</c> (issue 15): the provisioning chat script runs before the dial script
/// only when its hash differs from the one in the state file, i.e. from the script that last
/// led to a successful connect; the state is written when the network comes up after it ran.
/// </summary>
internal sealed partial class Datalink
{
    /// <summary>The script that ran in the attempt under way (on the loop): written to the state file once the network is up.</summary>
    private ProvisionPlan? _provisioned;
    private string? _cachedStateFile;
    private (string? Hash, DateTimeOffset? At) _cachedState;
    private int _provisionRuns;

    /// <summary>Off the loop, on the freshly opened line: null when nothing had to be sent or it was sent, else the failure.</summary>
    private async Task<string?> ProvisionAsync(DialPlan plan, ProvisionPlan provision, DeviceReader reader, PipeSink chat, string phone, CancellationToken cancellationToken)
    {
        var (written, at) = ProvisionState.Read(provision.StateFile);
        _loop.Post(() => Cache(provision.StateFile, (written, at)));
        if (written == provision.Hash)
        {
            ProvisionLog.Unchanged(_physical, at!.Value);
            return null;
        }
        ProvisionLog.Sending(_physical, written is null ? "never written" : "changed");
        var result = await RunScriptAsync("provision", provision.Script, reader, chat, phone, plan.AuthName, plan.AuthKey, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            return $"provision script: {result.Describe()}";
        _loop.Post(() =>
        {
            _provisionRuns++;
            _provisioned = provision;
        });
        return null;
    }

    /// <summary>The network is up (on the loop): a provisioning that ran for this connect is now the state, written off the loop.</summary>
    public void ProvisionSucceeded()
    {
        if (_provisioned is not { } provision)
            return;
        _provisioned = null;
        var now = _time.GetUtcNow();
        _ = Task.Run(() =>
        {
            string? error = ProvisionState.Write(provision.StateFile, provision.Hash, now);
            if (error is null)
                ProvisionLog.Written(_physical, provision.StateFile);
            else
                ProvisionLog.WriteFailed(_physical, provision.StateFile, error);
            _loop.Post(() => Cache(provision.StateFile, error is null ? (provision.Hash, now) : ProvisionState.Read(provision.StateFile)));
        });
    }

    /// <summary>For status (on the loop): the state file is read when it was never read or its name changed (a new label).</summary>
    public ProvisionStatus Provision()
    {
        string file = ProvisionState.PathFor(_settings.Label);
        if (_cachedStateFile != file)
            Cache(file, ProvisionState.Read(file));
        string? hash = _settings.ProvisionScript is { } script ? ProvisionState.Hash(script) : null;
        return new ProvisionStatus(file, hash, _cachedState.Hash, _cachedState.At, _provisionRuns);
    }

    private void Cache(string file, (string? Hash, DateTimeOffset? At) state)
    {
        _cachedStateFile = file;
        _cachedState = state;
    }
}

internal static partial class ProvisionLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: provision script unchanged since {At:yyyy-MM-dd HH:mm:ss zzz}: not sent")]
    public static partial void Unchanged(ILogger logger, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: provision script {Why}: sending it before the dial script")]
    public static partial void Sending(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "deflink: provision state written to {File}")]
    public static partial void Written(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deflink: provision state not written to {File}: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string file, string reason);
}
