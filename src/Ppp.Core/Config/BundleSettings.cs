using System.Net;
using Ppp.Core.Fsm;
using Ppp.Core.Protocols.Auth;
using Ppp.Core.Protocols.Ipcp;
using Ppp.Core.Protocols.Ipv6cp;
using Ppp.Core.Protocols.Lcp;

namespace Ppp.Core.Config;

/// <summary>
/// Everything ppp.conf and the prompt can set on one bundle, with ppp(8)'s defaults. Mutable and
/// owned by the link loop (commands run there); the daemon reads a <see cref="Clone"/> or builds
/// the immutable protocol configs from it when a link starts. <see cref="AuthKey"/> never
/// appears in <see cref="ToString"/>, <c>show</c> or logs.
/// </summary>
public sealed class BundleSettings
{
    /// <summary>ppp(8)'s largest MRU is 2048; the core handles up to 16384 (jumbo PPPoE, TCP
    /// tunnels), so that is our ceiling. The floor is ppp(8)'s 296.</summary>
    public const int MinMru = 296;
    public const int MaxMru = 16384;
    public const int DefaultMru = 1500;

    private HashSet<string> _explicitOptions = new(StringComparer.Ordinal);

    private Dictionary<string, OptionPolicy> _options = NegotiationOptions.All.ToDictionary(
        o => o.Name, o => o.NotImplemented is null ? o.Default : OptionPolicy.None, StringComparer.Ordinal);

    /// <summary>The label loaded last (LABEL, ppp.linkup selection), or null before any.</summary>
    public string? Label { get; set; }

    /// <summary>Every label loaded so far, in order (default first).</summary>
    public List<string> LoadedLabels { get; private set; } = [];

    // Physical layer.

    /// <summary><c>set device</c>: tried in order until one opens.</summary>
    public List<DeviceSpec> Devices { get; private set; } = [];

    /// <summary><c>set speed</c>; null leaves the tty's speed alone.</summary>
    public int? Speed { get; set; }

    /// <summary><c>set speed sync</c>: synchronous framing.</summary>
    public bool Synchronous { get; set; }

    public Parity Parity { get; set; } = Parity.None;

    public bool CtsRts { get; set; } = true;

    public CarrierDetect CarrierDetect { get; set; } = CarrierDetect.Default;

    // Chat scripts, kept as written for the chat engine.

    public string? DialScript { get; set; }

    public string? LoginScript { get; set; }

    public string? LogoutScript { get; set; }

    public string? HangupScript { get; set; }

    /// <summary><c>set phone</c>: numbers tried in turn (':'), each with backups ('|').</summary>
    public List<IReadOnlyList<string>> PhoneNumbers { get; private set; } = [];

    // Authentication.

    public string? AuthName { get; set; }

    /// <summary>Our key for PAP/CHAP and the chat's \P. Never printed.</summary>
    public string? AuthKey { get; set; }

    public TimeSpan PapRetryTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public int PapMaxRetries { get; set; } = 3;

    public TimeSpan ChapRetryTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public int ChapMaxRetries { get; set; } = 3;

    // LCP and framing.

    /// <summary><c>set mru</c>: the MRU we ask for; null is 1500.</summary>
    public int? Mru { get; set; }

    /// <summary><c>set mru max</c>: the largest MRU we agree to.</summary>
    public int? MaxMruLimit { get; set; }

    /// <summary><c>set mtu</c>: the interface MTU never exceeds it; null takes the peer's MRU.</summary>
    public int? Mtu { get; set; }

    /// <summary><c>set mtu max</c>: we refuse a peer MRU above it.</summary>
    public int? MaxMtu { get; set; }

    public uint Accmap { get; set; }

    /// <summary><c>set escape</c>: extra octets escaped on transmit.</summary>
    public List<byte> Escape { get; private set; } = [];

    /// <summary><c>set filter</c>: the in, out, dial and alive rules.</summary>
    public Filters.FilterSet Filters { get; private set; } = new();

    /// <summary><c>set echoperiod</c> (and <c>set lqrperiod</c>).</summary>
    public TimeSpan EchoPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>ppp(8)'s LCP gives up after 5 Echo-Requests go unanswered.</summary>
    public const int DefaultEchoFailures = 5;

    /// <summary>
    /// <c>set echoperiod seconds misses</c>: echo periods in a row without any frame from the
    /// peer before the link is declared dead (<see cref="LcpConfig.EchoFailures"/>).
    /// </summary>
    public int EchoFailures { get; set; } = DefaultEchoFailures;

    public FsmOptions LcpRetry { get; set; } = FsmOptions.Default;

    public FsmOptions IpcpRetry { get; set; } = FsmOptions.Default;

    public FsmOptions Ipv6cpRetry { get; set; } = FsmOptions.Default;

    public OpenMode OpenMode { get; set; } = OpenMode.Active;

    // Bundle.

    /// <summary><c>set timeout</c>: idle time before the link is closed; zero disables (ppp(8) default 180 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>Minimum time up before the idle timer may close the link.</summary>
    public TimeSpan IdleMinimum { get; set; }

    public RedialSettings Redial { get; set; } = new();

    public ReconnectSettings Reconnect { get; set; } = new();

    /// <summary><c>set reset|resetafter|resetwait|resetat</c>: the modem reset escalation (issue 15).</summary>
    public ResetSettings Reset { get; set; } = new();

    /// <summary><c>set provision</c>: a chat script sent before the dial script when it changed since the last successful connect.</summary>
    public string? ProvisionScript { get; set; }

    /// <summary><c>enable resetalways</c>: reset after every disconnect.</summary>
    public bool ResetAlways => IsEnabled(NegotiationOptions.ResetAlways);

    public int IfQueue { get; set; } = 30;

    public TimeSpan Choked { get; set; } = TimeSpan.FromSeconds(120);

    // IPCP.

    public IfAddr IfAddr { get; set; } = IfAddr.Default;

    /// <summary><c>set dns</c>: handed to a peer that asks (with <c>accept dns</c>).</summary>
    public IPAddress? PrimaryDns { get; set; }

    public IPAddress? SecondaryDns { get; set; }

    public IPAddress? PrimaryNbns { get; set; }

    public IPAddress? SecondaryNbns { get; set; }

    public ResolvMode ResolvMode { get; set; } = ResolvMode.Writable;

    // Logging.

    /// <summary><c>set log</c>: levels written to the log (syslog/journal/file).</summary>
    public HashSet<string> LogLevels { get; private set; } = new([Config.LogLevels.Phase, .. Config.LogLevels.AlwaysOn], StringComparer.Ordinal);

    /// <summary><c>set log local</c>: levels shown on the prompt.</summary>
    public HashSet<string> LocalLogLevels { get; private set; } = new(Config.LogLevels.AlwaysOn, StringComparer.Ordinal);

    // Options.

    /// <summary>The enable/accept switches of an option of <see cref="NegotiationOptions.All"/>.</summary>
    public OptionPolicy GetOption(string name)
    {
        var option = NegotiationOptions.Find(name) ?? throw new ArgumentException($"unknown option {name}", nameof(name));
        return _options[option.Name];
    }

    public void SetOption(string name, OptionPolicy policy)
    {
        var option = NegotiationOptions.Find(name) ?? throw new ArgumentException($"unknown option {name}", nameof(name));
        _options[option.Name] = policy;
        _explicitOptions.Add(option.Name);
    }

    /// <summary>True once an <c>enable</c>/<c>disable</c>/<c>accept</c>/<c>deny</c> named the option.</summary>
    public bool IsSetExplicitly(string name) =>
        _explicitOptions.Contains(NegotiationOptions.Find(name)?.Name ?? name);

    /// <summary>
    /// Set by the daemon in the modes meant to stay up (-ddial, -dedicated): LCP echo runs
    /// unless the configuration says <c>disable echo</c>, so a peer that went silent is noticed.
    /// </summary>
    public bool EchoByDefault { get; set; }

    public bool IsEnabled(string name) => (GetOption(name) & OptionPolicy.Enable) != 0;

    public bool IsAccepted(string name) => (GetOption(name) & OptionPolicy.Accept) != 0;

    public bool IpcpEnabled => IsEnabled(NegotiationOptions.Ipcp);

    public bool Ipv6cpEnabled => IsEnabled(NegotiationOptions.Ipv6cp);

    /// <summary><c>enable echo</c>: LCP echo runs every <see cref="EchoPeriod"/>.</summary>
    public bool EchoEnabled => EchoOnByMode || IsEnabled(NegotiationOptions.Echo);

    /// <summary>True when echo runs only because the mode turns it on by default.</summary>
    public bool EchoOnByMode => EchoByDefault && !IsSetExplicitly(NegotiationOptions.Echo);

    public bool MssFixup => IsEnabled(NegotiationOptions.MssFixup);

    public bool ForceScripts => IsEnabled(NegotiationOptions.ForceScripts);

    // Builders.

    public FsmOptions LcpFsm => LcpRetry with { Passive = OpenMode == OpenMode.Passive };

    public FsmOptions IpcpFsm => IpcpRetry;

    public FsmOptions Ipv6cpFsm => Ipv6cpRetry;

    /// <summary>The interface MTU for a negotiated peer MRU: the smaller of it and <c>set mtu</c>.</summary>
    public int InterfaceMtu(int peerMru) => Mtu is int mtu ? Math.Min(mtu, peerMru) : peerMru;

    /// <summary>
    /// LCP as ppp(8) negotiates it. <c>enable pap|chap|mschapv2</c> require the peer to
    /// authenticate (CHAP-MD5 preferred, then MS-CHAP-V2, then PAP, ppp(8)'s order);
    /// <c>accept</c> lets the peer require it of us.
    /// </summary>
    public LcpConfig ToLcpConfig()
    {
        var require = new List<AuthProtocol>();
        var accept = new List<AuthProtocol>();
        if (IsEnabled(NegotiationOptions.Chap))
            require.Add(AuthProtocol.ChapMd5);
        if (IsEnabled(NegotiationOptions.MsChapV2))
            require.Add(AuthProtocol.MsChapV2);
        if (IsEnabled(NegotiationOptions.Pap))
            require.Add(AuthProtocol.Pap);
        if (IsAccepted(NegotiationOptions.MsChapV2))
            accept.Add(AuthProtocol.MsChapV2);
        if (IsAccepted(NegotiationOptions.Chap))
            accept.Add(AuthProtocol.ChapMd5);
        if (IsAccepted(NegotiationOptions.Pap))
            accept.Add(AuthProtocol.Pap);
        int maxMru = MaxMruLimit ?? MaxMru;
        int mru = Mru ?? Math.Min(DefaultMru, maxMru);
        return new LcpConfig
        {
            Mru = (ushort)mru,
            MaxMru = (ushort)Math.Max(maxMru, mru),
            MaxPeerMru = MaxMtu is int maxMtu ? (ushort)maxMtu : null,
            Accm = Accmap,
            AddressControlCompression = GetOption(NegotiationOptions.AcfComp),
            ProtocolCompression = GetOption(NegotiationOptions.ProtoComp),
            RequirePeerAuthentication = require,
            AcceptOwnAuthentication = accept,
            EchoPeriod = EchoEnabled ? EchoPeriod : TimeSpan.Zero,
            EchoFailures = EchoFailures,
        };
    }

    /// <summary>
    /// The authentication phase. Our credentials exist once <c>set authname</c> or
    /// <c>set authkey</c> was given; the name in our CHAP challenges is authname, else
    /// <paramref name="localName"/> (the host name), as ppp(8).
    /// </summary>
    public AuthOptions ToAuthOptions(string localName)
    {
        ArgumentNullException.ThrowIfNull(localName);
        return new AuthOptions
        {
            Credentials = AuthName is null && AuthKey is null ? null : new AuthCredentials(AuthName ?? "", AuthKey ?? ""),
            LocalName = string.IsNullOrEmpty(AuthName) ? localName : AuthName,
            PapRetryTimeout = PapRetryTimeout,
            PapMaxRetries = PapMaxRetries,
            ChapRetryTimeout = ChapRetryTimeout,
            ChapMaxRetries = ChapMaxRetries,
        };
    }

    public IpcpConfig ToIpcpConfig() => new()
    {
        IfAddr = IfAddr,
        EnableDns = IsEnabled(NegotiationOptions.Dns),
        AcceptDns = IsAccepted(NegotiationOptions.Dns),
        PrimaryDns = PrimaryDns,
        SecondaryDns = SecondaryDns,
        PrimaryNbns = PrimaryNbns,
        SecondaryNbns = SecondaryNbns,
    };

    /// <summary>IPV6CP is fully automatic in ppp(8): nothing to configure.</summary>
    public static Ipv6cpConfig ToIpv6cpConfig() => Ipv6cpConfig.Default;

    public byte[] ExtraEscapes => [.. Escape];

    public BundleSettings Clone()
    {
        var copy = (BundleSettings)MemberwiseClone();
        copy._options = new Dictionary<string, OptionPolicy>(_options, StringComparer.Ordinal);
        copy._explicitOptions = new HashSet<string>(_explicitOptions, StringComparer.Ordinal);
        copy.LoadedLabels = [.. LoadedLabels];
        copy.Devices = [.. Devices];
        copy.PhoneNumbers = [.. PhoneNumbers];
        copy.Escape = [.. Escape];
        copy.Filters = Filters.Clone();
        copy.LogLevels = new HashSet<string>(LogLevels, StringComparer.Ordinal);
        copy.LocalLogLevels = new HashSet<string>(LocalLogLevels, StringComparer.Ordinal);
        return copy;
    }

    public override string ToString() =>
        $"BundleSettings {{ Label = {Label ?? "(none)"}, Devices = [{string.Join(", ", Devices.Select(d => d.Text))}], " +
        $"AuthName = {AuthName ?? "(none)"}, AuthKey = {(AuthKey is null ? "(none)" : "********")}, IfAddr = {IfAddr.MyAddress} {IfAddr.HisAddress} }}";
}
