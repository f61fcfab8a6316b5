using Npgsql;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use, named by <c>WABA_TEST_POSTGRES</c> (a connection string; <c>.ci/run</c> starts
/// a throwaway cluster and sets it). Each user gets a database of its own, dropped afterwards.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "WABA_TEST_POSTGRES";

    private readonly string _server;

    private TestPostgres(string server, string database)
    {
        _server = server;
        Database = database;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public string Database { get; }
    public string ConnectionString { get; }

    /// <summary>A fresh empty database. Skips the test, visibly, when no server is configured outside CI; fails in CI.</summary>
    public static async Task<TestPostgres> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(server))
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail($"{Variable} is not set: CI must run the PostgreSQL tests (.ci/run starts a server).");
            }
            Assert.Skip($"PostgreSQL tests skipped: set {Variable} to a connection string (see .ci/run) to run them.");
        }
        var database = "waba_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database};", connection);
        await create.ExecuteNonQueryAsync();
        return new TestPostgres(server, database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE);", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
