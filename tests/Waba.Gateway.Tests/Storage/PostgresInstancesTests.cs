using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Storage;

/// <summary>Several gateway processes on one PostgreSQL database, as behind a load balancer.</summary>
public sealed class PostgresInstancesTests
{
    private static string[] Args(TestPostgres database) =>
    [
        "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
        "--Storage:Provider", "postgres", "--Storage:Postgres:ConnectionString", database.ConnectionString,
        "--Webhooks:RetryDelays", "200ms", "--Webhooks:AttemptTimeout", "2s", "--Webhooks:LeaseDuration", "4s",
        "--Logging:LogLevel:Default", "Warning",
    ];

    [Fact]
    public async Task TwoInstances_StartedTogetherOnEmptyDatabase_BothComeUpWithOneSchema()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("waba-pg-").FullName;

        var starting = new[] { GatewayProcess.StartAsync(folder, Args(database)), GatewayProcess.StartAsync(folder, Args(database)) };
        var instances = await Task.WhenAll(starting);
        try
        {
            foreach (var instance in instances)
            {
                using var http = new HttpClient { BaseAddress = instance.BaseAddress };
                Assert.Equal("ok", await http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
            }
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations;", connection);
            await using var reader = await count.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            await reader.ReadAsync(TestContext.Current.CancellationToken);
            Assert.Equal(reader.GetInt64(1), reader.GetInt64(0));
            Assert.True(reader.GetInt64(0) >= 1);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoInstances_OneKilledMidStream_EveryEventIsDeliveredAtLeastOnce()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("waba-pg-").FullName;
        var firstSeen = new ConcurrentDictionary<string, long>();
        await using var receiver = await WebhookReceiver.StartAsync(respond: _ => 200);
        var a = await GatewayProcess.StartAsync(folder, Args(database));
        await using var b = await GatewayProcess.StartAsync(folder, Args(database));
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };

        var number = await a.CreateNumberAsync("on_premise", "4915100000088");
        var set = await PostAsync(httpB, "/v1/configs/webhook", number.ApiKey, new { url = receiver.Url() });
        Assert.Equal(200, (int)set.StatusCode);

        // A steady stream through both instances; A is killed halfway. Only accepted (202) events count. Each half runs
        // 2 s and until it has 10 accepted events (a loaded machine answers slowly), at most a minute in all.
        var accepted = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var killed = false;
        long killedAt = 0;
        var i = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(60)
            && !(killed && clock.ElapsedMilliseconds - killedAt > 2000 && accepted.Values.Count(t => t > killedAt + 100) >= 10))
        {
            if (!killed && clock.Elapsed > TimeSpan.FromSeconds(2) && accepted.Count >= 10)
            {
                a.Kill();
                killed = true;
                killedAt = clock.ElapsedMilliseconds;
            }
            var viaA = !killed && i % 2 == 0;
            try
            {
                var response = await PostAsync(viaA ? httpA : httpB, "/sandbox/v1/inbound", number.ApiKey,
                    new { from = "4915199999999", text = new { body = $"stream {i}" } });
                if ((int)response.StatusCode == 202)
                {
                    var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
                    accepted[body.GetProperty("messages")[0].GetProperty("id").GetString()!] = clock.ElapsedMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // A request in flight to A when it died: not accepted, so not owed.
            }
            i++;
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        await a.DisposeAsync();

        var received = await receiver.WaitForAsync(r =>
        {
            foreach (var webhook in r)
            {
                firstSeen.TryAdd(webhook.Json.GetProperty("messages")[0].GetProperty("id").GetString()!, clock.ElapsedMilliseconds);
            }
            return accepted.Keys.All(firstSeen.ContainsKey);
        }, TimeSpan.FromSeconds(60), $"all {accepted.Count} accepted events");

        var duplicates = received.Count - received.Select(r => r.EventId).Distinct().Count();
        var longestDelay = accepted.Max(kv => firstSeen[kv.Key] - kv.Value);
        var report = $"two instances, one killed: {accepted.Count} events accepted, all delivered; {duplicates} duplicates; longest delay {longestDelay} ms (includes the {4}s lease of the killed instance's claims)";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(accepted.Values.Count(t => t < killedAt) >= 10 && accepted.Values.Count(t => t > killedAt + 100) >= 10,
            "the stream ran on both sides of the kill");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("D360-API-KEY", key);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
