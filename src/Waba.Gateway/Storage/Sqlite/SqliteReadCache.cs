using System.Collections.Concurrent;
using Waba.Gateway.Sandbox;

namespace Waba.Gateway.Storage.Sqlite;

/// <summary>
/// What every sandbox send would otherwise read from SQLite: the WABA's known users, and the number's block list.
/// Each is loaded whole on first use and then kept current by this process's own writes, which is sound because one
/// process owns a SQLite database; the PostgreSQL engine, shared by instances, reads every time.
/// </summary>
internal sealed class SqliteReadCache
{
    public CompleteSets<SandboxUser> Users { get; } = new();

    public CompleteSets<bool> Blocked { get; } = new();
}

/// <summary>
/// Sets of rows per owner (a WABA, a channel), each loaded whole once. A write made while a load is under way makes the
/// load start again, so a set never misses a committed write.
/// </summary>
internal sealed class CompleteSets<T>
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, T>> _sets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public async Task<ConcurrentDictionary<string, T>> GetAsync(string owner, Func<Task<IEnumerable<KeyValuePair<string, T>>>> load)
    {
        while (true)
        {
            if (_sets.TryGetValue(owner, out var set))
            {
                return set;
            }
            var before = _versions.GetValueOrDefault(owner);
            var loaded = new ConcurrentDictionary<string, T>(await load(), StringComparer.Ordinal);
            if (_versions.GetValueOrDefault(owner) != before)
            {
                continue;
            }
            var kept = _sets.GetOrAdd(owner, loaded);
            if (_versions.GetValueOrDefault(owner) == before)
            {
                return kept;
            }
            _sets.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, T>>(owner, kept));
        }
    }

    /// <summary>Records a committed write: the owner's set, when loaded, follows it.</summary>
    public void Set(string owner, string key, T value)
    {
        _versions.AddOrUpdate(owner, 1, (_, v) => v + 1);
        if (_sets.TryGetValue(owner, out var set))
        {
            set[key] = value;
        }
    }

    public void Remove(string owner, string key)
    {
        _versions.AddOrUpdate(owner, 1, (_, v) => v + 1);
        if (_sets.TryGetValue(owner, out var set))
        {
            set.TryRemove(key, out _);
        }
    }
}
