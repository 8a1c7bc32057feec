using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Ppp.Core.Protocols.Ipcp;

/// <summary>
/// The addresses a server hands to its peers (ppp(8) `set ifaddr myaddr 10.0.1.2-10.0.1.10,...`).
/// One pool may be shared by every link of a daemon, so it is thread-safe; each owner (one
/// <see cref="IpcpHandler"/>) holds at most one address at a time, from the moment it offers or
/// accepts it until its layer finishes, so two links never negotiate the same address.
/// Free addresses are handed out lowest first, which keeps tests and logs deterministic (ppp(8)
/// picks at random; nothing depends on that).
/// </summary>
public sealed class Ipv4AddressPool
{
    private readonly ImmutableArray<Ipv4Block> _blocks;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, object> _ownerOf = [];
    private readonly Dictionary<object, uint> _heldBy = new(ReferenceEqualityComparer.Instance);

    public Ipv4AddressPool(IEnumerable<Ipv4Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        _blocks = [.. blocks];
        if (_blocks.IsEmpty)
            throw new ArgumentException("A pool needs at least one address.", nameof(blocks));
    }

    public ImmutableArray<Ipv4Block> Blocks => _blocks;

    /// <summary>Addresses currently held by some link.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
                return _ownerOf.Count;
        }
    }

    public bool Contains(uint address)
    {
        foreach (var block in _blocks)
        {
            if (block.Contains(address))
                return true;
        }
        return false;
    }

    public bool Contains(IPAddress address) =>
        address is { AddressFamily: AddressFamily.InterNetwork } && Contains(Ipv4.ToUInt32(address));

    /// <summary>
    /// Takes <paramref name="address"/> for <paramref name="owner"/> (giving up what it held
    /// before) if it is in the pool and free or already the owner's.
    /// </summary>
    internal bool TryTake(uint address, object owner)
    {
        if (!Contains(address) || !Ipv4.IsUsableHost(address))
            return false;
        lock (_lock)
        {
            if (_ownerOf.TryGetValue(address, out var current))
                return ReferenceEquals(current, owner);
            ReleaseLocked(owner);
            _ownerOf[address] = owner;
            _heldBy[owner] = address;
            return true;
        }
    }

    /// <summary>The owner's address, else the lowest free one taken for it; null when exhausted.</summary>
    internal uint? TakeAny(object owner, uint avoid)
    {
        lock (_lock)
        {
            if (_heldBy.TryGetValue(owner, out uint held) && held != avoid)
                return held;
            foreach (var block in _blocks)
            {
                // At most InUse + 1 probes per block find a free address, so a large block costs little.
                for (ulong a = block.First; a <= block.Last; a++)
                {
                    uint candidate = (uint)a;
                    if (candidate == avoid || !Ipv4.IsUsableHost(candidate) || _ownerOf.ContainsKey(candidate))
                        continue;
                    ReleaseLocked(owner);
                    _ownerOf[candidate] = owner;
                    _heldBy[owner] = candidate;
                    return candidate;
                }
            }
            return null;
        }
    }

    internal uint? HeldBy(object owner)
    {
        lock (_lock)
            return _heldBy.TryGetValue(owner, out uint held) ? held : null;
    }

    internal void Release(object owner)
    {
        lock (_lock)
            ReleaseLocked(owner);
    }

    private void ReleaseLocked(object owner)
    {
        if (_heldBy.Remove(owner, out uint held))
            _ownerOf.Remove(held);
    }
}
