using Microsoft.Extensions.Options;
using Waba.Gateway.Storage;
using Waba.Gateway.Storage.Sqlite;

namespace Waba.Gateway.Tests.Storage;

/// <summary>The SQLite write-ahead log stays bounded while writes never pause: disk use must not grow with the traffic.</summary>
public sealed class SqliteWalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("waba-wal-").FullName;

    [Fact]
    public async Task ContinuousWrites_TheWalStartsOverInsteadOfGrowingWithEveryCommit()
    {
        var path = Path.Combine(_folder, "gateway.db");
        var ct = TestContext.Current.CancellationToken;
        using var database = new SqliteDatabase(Options.Create(new StorageOptions { Sqlite = { Path = path } }));
        await database.MigrateAsync(ct);
        await database.WriteAsync((c, t) => SqliteDatabase.ExecuteAsync(c, t, "CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB);", ct), ct);

        // Sixteen writers without pause for three seconds, as under a steady stream of accepted messages: there is never
        // a moment without a write, which is when a background checkpoint alone cannot start the WAL over.
        var restartsBefore = WalRestarts(path);
        var body = new byte[1024];
        long written = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                await database.WriteAsync(async (c, t) =>
                {
                    await using var insert = SqliteDatabase.Command(c, t, "INSERT INTO scratch (body) VALUES ($body);");
                    insert.Parameters.AddWithValue("$body", body);
                    return await insert.ExecuteNonQueryAsync(ct);
                }, ct);
                Interlocked.Add(ref written, body.Length);
            }
        }, ct)).ToList();
        await Task.WhenAll(writers);

        var wal = new FileInfo(path + "-wal").Length;
        Assert.True(WalRestarts(path) - restartsBefore >= 2, "the WAL should have started over while the writes went on");
        Assert.True(wal < written, $"WAL {wal / 1048576.0:0.0} MB after {written / 1048576.0:0.0} MB written: it grows with every commit");
    }

    // The WAL header's checkpoint sequence number (bytes 12-15, big-endian) counts the times the WAL started over.
    private static uint WalRestarts(string databasePath)
    {
        using var wal = new FileStream(databasePath + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        wal.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
