namespace Waba.Gateway.Storage;

/// <summary>
/// What a request learnt when it authenticated: its number, the number's WABA, and (on PostgreSQL) the WABA's version
/// as the database had it then. Stores that cache across instances trust a cached answer only when it was read at
/// that same version; any write that could change the answer bumped the version in its own transaction, so a request
/// that starts after the write commits — a revoked key, a new block — never sees the old answer.
/// </summary>
public sealed class ReadSnapshot
{
    private static readonly AsyncLocal<ReadSnapshot?> Ambient = new();

    /// <summary>The snapshot of the request this code runs for, or null outside a request (background work reads the database).</summary>
    public static ReadSnapshot? Current => Ambient.Value;

    /// <summary>Starts an empty snapshot for the rest of this asynchronous flow (called by the authentication filters).</summary>
    public static void Begin() => Ambient.Value = new ReadSnapshot();

    public string? WabaId { get; private set; }
    public string? ChannelId { get; private set; }
    public long? Version { get; private set; }

    public void Record(string wabaId, string channelId, long version)
    {
        WabaId = wabaId;
        ChannelId = channelId;
        Version = version;
    }

    /// <summary>
    /// This request wrote something the caches hold: its own later reads must not be answered from before the write,
    /// so they go to the database.
    /// </summary>
    public void Forget() => Version = null;

    /// <summary>The version this request read for the WABA, if it read one.</summary>
    public long? VersionOfWaba(string wabaId) => wabaId == WabaId ? Version : null;

    /// <summary>The version this request read for the number's WABA, if it read one.</summary>
    public long? VersionOfChannel(string channelId) => channelId == ChannelId ? Version : null;
}
