using System.Collections.Concurrent;

namespace Waba.Gateway.Storage.Postgres;

/// <summary>
/// Answers per owner (a WABA, a number), each set tagged with the WABA version it was read at. A lookup names the
/// version its request read (<see cref="ReadSnapshot"/>); a set of another version is dropped, never used. Bounded:
/// past <see cref="MaxEntries"/> answers everything is dropped and read again.
/// </summary>
internal sealed class VersionedCache<T>
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<string, Entries> _owners = new(StringComparer.Ordinal);
    private int _count;

    private sealed record Entries(long Version, ConcurrentDictionary<string, T> Values);

    public bool TryGet(string owner, long version, string key, out T value)
    {
        value = default!;
        return _owners.TryGetValue(owner, out var entries) && entries.Version == version && entries.Values.TryGetValue(key, out value!);
    }

    /// <summary>Keeps an answer read from the database after the request read <paramref name="version"/>.</summary>
    public void Set(string owner, long version, string key, T value)
    {
        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _owners.Clear();
            Interlocked.Exchange(ref _count, 0);
        }
        var entries = _owners.AddOrUpdate(owner,
            _ => new Entries(version, new ConcurrentDictionary<string, T>(StringComparer.Ordinal)),
            (_, existing) => existing.Version >= version ? existing : new Entries(version, new ConcurrentDictionary<string, T>(StringComparer.Ordinal)));
        if (entries.Version == version)
        {
            entries.Values[key] = value;
        }
    }
}

/// <summary>
/// Every row of an owner (a WABA's stored users, a number's block list), loaded whole once per WABA version, so a
/// lookup of any key — present or absent — needs no query while the version holds. Concurrent requests at the same
/// version share one load. An owner with more than <see cref="MaxRows"/> rows is not kept (null: read per key).
/// </summary>
internal sealed class VersionedSets<T>
{
    public const int MaxRows = 10_000;
    private const int MaxOwners = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _owners = new(StringComparer.Ordinal);

    private sealed record Entry(long Version, Lazy<Task<IReadOnlyDictionary<string, T>?>> Rows);

    /// <param name="load">Reads the owner's rows after the request read <paramref name="version"/>; null when there are too many.</param>
    public async Task<IReadOnlyDictionary<string, T>?> GetAsync(string owner, long version, Func<Task<IReadOnlyDictionary<string, T>?>> load)
    {
        if (_owners.Count > MaxOwners)
        {
            _owners.Clear();
        }
        var entry = _owners.AddOrUpdate(owner,
            _ => new Entry(version, new Lazy<Task<IReadOnlyDictionary<string, T>?>>(load)),
            (_, existing) => existing.Version >= version ? existing : new Entry(version, new Lazy<Task<IReadOnlyDictionary<string, T>?>>(load)));
        if (entry.Version != version)
        {
            return null; // this request read an older version than the set held now: it asks the database
        }
        try
        {
            return await entry.Rows.Value;
        }
        catch
        {
            _owners.TryRemove(new KeyValuePair<string, Entry>(owner, entry));
            throw;
        }
    }
}
