namespace CryptoSecure.Infrastructure.Crypto;

/// <summary>
/// The configured master keys: the current one, which seals everything new, and the previous
/// ones (<c>Security:PreviousMasterKeys</c>, <c>Security:PreviousMasterKeyFiles</c>), which only
/// open what they sealed until the re-sealer has moved it to the current key.
/// </summary>
public sealed class MasterKeyRing : IDisposable
{
    private readonly Dictionary<string, MasterKey> _byId;

    /// <summary>A ring of <paramref name="current"/> and <paramref name="previous"/>; a previous key equal to the current one (or to another) counts once.</summary>
    public MasterKeyRing(MasterKey current, IEnumerable<MasterKey> previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        Current = current;
        _byId = new Dictionary<string, MasterKey>(StringComparer.Ordinal) { [current.Id] = current };
        var others = new List<MasterKey>();
        foreach (var key in previous)
        {
            if (_byId.TryAdd(key.Id, key))
            {
                others.Add(key);
            }
            else
            {
                key.Dispose();
            }
        }

        Previous = others;
    }

    /// <summary>The key everything is sealed under from now on.</summary>
    public MasterKey Current { get; }

    /// <summary>Keys that still open older records, none of them the current one.</summary>
    public IReadOnlyList<MasterKey> Previous { get; }

    /// <summary>Every configured key id, the current one first.</summary>
    public IEnumerable<string> Ids => [Current.Id, .. Previous.Select(k => k.Id)];

    /// <summary>The configured key with id <paramref name="id"/>, or null.</summary>
    public MasterKey? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The configured key whose check value is <paramref name="storedCheckValue"/>, or null.</summary>
    public MasterKey? MatchingCheckValue(ReadOnlySpan<byte> storedCheckValue)
    {
        foreach (var key in _byId.Values)
        {
            if (key.Matches(storedCheckValue))
            {
                return key;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _byId.Values)
        {
            key.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"MasterKeyRing(current {Current.Id}, {Previous.Count} previous)";
}
