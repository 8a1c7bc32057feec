using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ppp.Core.Filters;

/// <summary>Why a packet passed or not.</summary>
public enum FilterDecision
{
    /// <summary>The filter has no rule 0, so it passes everything.</summary>
    PermittedNoRules,
    PermittedByRule,

    /// <summary>A later fragment of an IPv4 or IPv6 datagram: it carries no ports, and the in and
    /// out filters pass it (its first fragment was judged); dial and alive do not.</summary>
    PermittedFragment,
    DeniedByRule,

    /// <summary>No rule decided: ppp(8)'s implicit deny.</summary>
    DeniedNoMatch,

    /// <summary>A header too short or inconsistent to judge (IP, extension or transport header).</summary>
    DeniedMalformed,

    /// <summary>A fragment the in/out rule above does not pass: for dial and alive, or one whose
    /// offset would overwrite the first fragment's transport header.</summary>
    DeniedFragment,
}

/// <summary>The outcome of one packet: the decision, the rule that made it (-1: none) and that
/// rule's <c>timeout</c> (0: none given).</summary>
public readonly record struct FilterVerdict(FilterDecision Decision, int Rule, uint Timeout)
{
    public bool Permitted => Decision is FilterDecision.PermittedNoRules or FilterDecision.PermittedByRule or FilterDecision.PermittedFragment;
}

/// <summary>
/// A filter's rules compiled against the current addresses: an array of flat entries walked in
/// rule order, with jumps resolved to entry indexes. Immutable, so the data path may read it
/// from any thread while the loop compiles the next one; <see cref="Evaluate"/> allocates
/// nothing and never throws on any input.
/// </summary>
/// <remarks>
/// ppp(8)'s FilterCheck order is kept: a filter without rule 0 passes everything; a later
/// fragment is decided before any rule; addresses are compared first, and the first rule that
/// names a protocol makes the transport header required (too short: the packet is denied);
/// a rule's result is inverted by <c>!</c>; the first permit or deny that acts decides; no
/// decision is a deny.
/// </remarks>
public sealed class FilterMatcher
{
    private const byte Never = 0xff;
    private const int MaxExtensionHeaders = 8;
    private const byte TcpFin = 0x01, TcpSyn = 0x02, TcpRst = 0x04, TcpAck = 0x10;
    private const byte NeedAck = 1, NeedSyn = 2, NeedFinRst = 4;

    private readonly Entry[] _entries;
    private readonly bool _passFragments;

    private FilterMatcher(FilterName name, Entry[] entries, bool passesEverything)
    {
        Name = name;
        _entries = entries;
        PassesEverything = passesEverything;
        _passFragments = name is FilterName.In or FilterName.Out;
    }

    public FilterName Name { get; }

    /// <summary>No rule 0: every packet passes without being looked at.</summary>
    public bool PassesEverything { get; }

    /// <summary>The number of rules set.</summary>
    public int RuleCount => _entries.Length;

    internal static FilterMatcher Create(FilterName name, IReadOnlyList<FilterRule?> rules, FilterAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        // Entry index of each rule number, and of the first rule set at or after it (for jumps).
        int[] firstAtOrAfter = new int[rules.Count + 1];
        int count = rules.Count(r => r is not null);
        firstAtOrAfter[rules.Count] = count;
        for (int n = rules.Count - 1, index = count; n >= 0; n--)
        {
            if (rules[n] is not null)
                index--;
            firstAtOrAfter[n] = index;
        }
        var entries = new Entry[count];
        int e = 0;
        for (int n = 0; n < rules.Count; n++)
        {
            if (rules[n] is not { } rule)
                continue;
            entries[e++] = new Entry
            {
                Rule = (byte)n,
                Action = rule.Action,
                JumpIndex = rule.Action == FilterActionKind.Jump ? firstAtOrAfter[rule.JumpTarget] : 0,
                Invert = rule.Invert,
                Source = Bind(rule.Source, addresses),
                Destination = Bind(rule.Destination, addresses),
                Protocol = rule.Protocol,
                SourceOperator = rule.SourceOperator,
                SourcePort = rule.SourcePort,
                DestinationOperator = rule.DestinationOperator,
                DestinationPort = rule.DestinationPort,
                TcpNeeds = (byte)((rule.Established ? NeedAck : 0) | (rule.Syn ? NeedSyn : 0) | (rule.FinRst ? NeedFinRst : 0)),
                Timeout = rule.Timeout,
            };
        }
        return new FilterMatcher(name, entries, rules.Count == 0 || rules[0] is null);
    }

    private static AddressMatch Bind(FilterAddress address, FilterAddresses now)
    {
        IPAddress? value = address.Kind switch
        {
            FilterAddressKind.Any => null,
            FilterAddressKind.Literal => address.Literal,
            FilterAddressKind.MyAddr => now.MyAddress,
            FilterAddressKind.HisAddr => now.HisAddress,
            FilterAddressKind.MyAddr6 => now.MyAddress6,
            FilterAddressKind.HisAddr6 => now.HisAddress6,
            FilterAddressKind.Dns0 => now.Dns0,
            _ => now.Dns1,
        };
        if (address.Kind == FilterAddressKind.Any)
            return default;
        bool wantV6 = address.IsIpv6;
        if (value is null || (value.AddressFamily == AddressFamily.InterNetworkV6) != wantV6)
            return new AddressMatch(Never, 0, 0);
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, out int length);
        if (length == 4)
        {
            UInt128 mask = address.Width == 0 ? 0 : (UInt128)(uint.MaxValue << (32 - address.Width));
            return new AddressMatch(4, BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask);
        }
        UInt128 mask6 = address.Width == 0 ? 0 : UInt128.MaxValue << (128 - address.Width);
        return new AddressMatch(6, BinaryPrimitives.ReadUInt128BigEndian(bytes) & mask6, mask6);
    }

    /// <summary>
    /// Judges one IP packet (IPv4 or IPv6, starting at the version octet). The span is only read
    /// during the call.
    /// </summary>
    public FilterVerdict Evaluate(ReadOnlySpan<byte> packet)
    {
        if (PassesEverything)
            return new FilterVerdict(FilterDecision.PermittedNoRules, -1, 0);
        var header = new Headers(packet);
        switch (header.Status)
        {
            case HeaderStatus.Malformed:
                return new FilterVerdict(FilterDecision.DeniedMalformed, -1, 0);
            case HeaderStatus.LaterFragment:
                return new FilterVerdict(_passFragments ? FilterDecision.PermittedFragment : FilterDecision.DeniedFragment, -1, 0);
            case HeaderStatus.OverlappingFragment:
                return new FilterVerdict(FilterDecision.DeniedFragment, -1, 0);
        }

        bool transportRead = false;
        var entries = _entries;
        int i = 0;
        while ((uint)i < (uint)entries.Length)
        {
            ref readonly Entry entry = ref entries[i];
            bool match = false;
            if (entry.Source.Matches(header.Family, header.Source) && entry.Destination.Matches(header.Family, header.Destination))
            {
                if (entry.Protocol == 0)
                {
                    match = true;
                }
                else
                {
                    if (!transportRead)
                    {
                        if (!header.ReadTransport())
                            return new FilterVerdict(FilterDecision.DeniedMalformed, entry.Rule, 0);
                        transportRead = true;
                    }
                    match = entry.Protocol == header.Protocol
                        && Compare(entry.SourceOperator, header.SourcePort, entry.SourcePort)
                        && Compare(entry.DestinationOperator, header.DestinationPort, entry.DestinationPort)
                        && (entry.TcpNeeds & ~header.TcpHas) == 0;
                }
            }
            if (match == entry.Invert)
            {
                i++;
                continue;
            }
            switch (entry.Action)
            {
                case FilterActionKind.Permit:
                    return new FilterVerdict(FilterDecision.PermittedByRule, entry.Rule, entry.Timeout);
                case FilterActionKind.Deny:
                    return new FilterVerdict(FilterDecision.DeniedByRule, entry.Rule, 0);
                default:
                    i = entry.JumpIndex;
                    break;
            }
        }
        return new FilterVerdict(FilterDecision.DeniedNoMatch, -1, 0);
    }

    private static bool Compare(PortOperator op, ushort packet, ushort rule) => op switch
    {
        PortOperator.None => true,
        PortOperator.Eq => packet == rule,
        PortOperator.Lt => packet < rule,
        _ => packet > rule,
    };

    private readonly record struct AddressMatch(byte Family, UInt128 Value, UInt128 Mask)
    {
        // Family 0: no condition; Never: a symbol with no address yet.
        public bool Matches(byte family, UInt128 address) => Family == 0 || (Family == family && (address & Mask) == Value);
    }

    private struct Entry
    {
        public byte Rule;
        public FilterActionKind Action;
        public int JumpIndex;
        public bool Invert;
        public AddressMatch Source;
        public AddressMatch Destination;
        public byte Protocol;
        public PortOperator SourceOperator;
        public ushort SourcePort;
        public PortOperator DestinationOperator;
        public ushort DestinationPort;
        public byte TcpNeeds;
        public uint Timeout;
    }

    private enum HeaderStatus
    {
        Ok,
        Malformed,
        LaterFragment,
        OverlappingFragment,
    }

    /// <summary>
    /// The fields the rules compare, read from the IP header (RFC 791 §3.1, RFC 8200 §3-4) and,
    /// when a rule needs them, the transport header. Reads stay inside both the span and the
    /// length the IP header declares.
    /// <code>
    ///   IPv4: 0 ver|ihl  2 total length  6 flags|fragment offset  9 protocol  12 src  16 dst
    ///   IPv6: 0 ver      4 payload length  6 next header  8 src (16)  24 dst (16)
    ///         then hop-by-hop (0), routing (43), destination options (60): next, length in 8s - 1;
    ///         AH (51): next, length in 4s - 2; fragment (44): next, _, offset(13)|flags(3), id
    /// </code>
    /// </summary>
    private ref struct Headers
    {
        public readonly HeaderStatus Status;
        public readonly byte Family;
        public readonly UInt128 Source;
        public readonly UInt128 Destination;
        public readonly byte Protocol;
        public ushort SourcePort;
        public ushort DestinationPort;
        public byte TcpHas;
        private readonly ReadOnlySpan<byte> _payload;

        public Headers(ReadOnlySpan<byte> packet)
        {
            this = default;
            Status = HeaderStatus.Malformed;
            if (packet.IsEmpty)
                return;
            int version = packet[0] >> 4;
            if (version == 4)
            {
                int headerLength = (packet[0] & 0x0f) * 4;
                if (packet.Length < 20 || headerLength < 20 || headerLength > packet.Length)
                    return;
                int total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
                if (total < headerLength)
                    return;
                Family = 4;
                Protocol = packet[9];
                Source = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
                Destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
                int offset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff;
                Status = FragmentStatus(offset);
                _payload = packet[headerLength..Math.Min(total, packet.Length)];
                return;
            }
            if (version != 6 || packet.Length < 40)
                return;
            Family = 6;
            Source = BinaryPrimitives.ReadUInt128BigEndian(packet[8..]);
            Destination = BinaryPrimitives.ReadUInt128BigEndian(packet[24..]);
            ReadOnlySpan<byte> rest = packet[40..Math.Min(40 + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]), packet.Length)];
            byte next = packet[6];
            for (int n = 0; ; n++)
            {
                int length;
                switch (next)
                {
                    case 0 or 43 or 60:
                        length = rest.Length >= 2 ? (rest[1] + 1) * 8 : int.MaxValue;
                        break;
                    case 51:
                        length = rest.Length >= 2 ? (rest[1] + 2) * 4 : int.MaxValue;
                        break;
                    case 44:
                        length = 8;
                        if (rest.Length >= length)
                        {
                            int offset = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) >> 3;
                            if (offset != 0)
                            {
                                Protocol = rest[0];
                                Status = FragmentStatus(offset);
                                return;
                            }
                        }
                        break;
                    default:
                        Protocol = next;
                        _payload = rest;
                        Status = HeaderStatus.Ok;
                        return;
                }
                if (n == MaxExtensionHeaders || length > rest.Length)
                    return;
                next = rest[0];
                rest = rest[length..];
            }
        }

        // An offset under 24 octets would rewrite the first fragment's TCP header (RFC 1858).
        private static HeaderStatus FragmentStatus(int offset) => offset switch
        {
            0 => HeaderStatus.Ok,
            < 3 => HeaderStatus.OverlappingFragment,
            _ => HeaderStatus.LaterFragment,
        };

        /// <summary>Reads ports, the ICMP type or the TCP flags; false when the header is too short for its protocol.</summary>
        public bool ReadTransport()
        {
            var data = _payload;
            switch (Protocol)
            {
                case 6:
                    if (data.Length < 20 || data.Length < (data[12] >> 4) * 4)
                        return false;
                    SourcePort = BinaryPrimitives.ReadUInt16BigEndian(data);
                    DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                    byte flags = data[13];
                    TcpHas = (byte)(((flags & TcpAck) != 0 ? NeedAck : 0) | ((flags & TcpSyn) != 0 ? NeedSyn : 0)
                        | ((flags & (TcpFin | TcpRst)) != 0 ? NeedFinRst : 0));
                    return true;
                case 17:
                    if (data.Length < 8)
                        return false;
                    SourcePort = BinaryPrimitives.ReadUInt16BigEndian(data);
                    DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                    return true;
                case 1 or 58:
                    if (data.Length < 8)
                        return false;
                    SourcePort = data[0];
                    return true;
                case 2 or 89:
                    return data.Length >= 8;
                case 4:
                    return data.Length >= 20;
                case 47:
                    return data.Length >= 4;
                default:
                    return true;
            }
        }
    }
}
