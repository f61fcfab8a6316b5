using System.Net;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Storage;

/// <summary>
/// Two gateways on one PostgreSQL database, each with its own caches (API keys, sandbox users, block lists, the 24-hour
/// window): a change made through one is in force on the very next request to the other.
/// </summary>
public sealed class PostgresCacheCoherenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<GatewayServer> InstanceAsync(TestPostgres database, string sentDelay = "1h") => GatewayServer.StartAsync(new Dictionary<string, string>
    {
        ["Storage:Provider"] = "postgres",
        ["Storage:Postgres:ConnectionString"] = database.ConnectionString,
        ["Sandbox:SentDelay"] = sentDelay,
        ["Sandbox:DeliveredDelay"] = "1h",
        ["Sandbox:ReadDelay"] = "1h",
    });

    private static object Text(string to, string body) => new { messaging_product = "whatsapp", to, type = "text", text = new { body } };

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_the_other_on_its_next_request()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceAsync(database);
        await using var b = await InstanceAsync(database);
        var number = await a.CreateNumberAsync("cloud");
        await a.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000201", text = new { body = "hi" } });

        for (var round = 0; round < 3; round++)
        {
            // Both instances have the key cached: each has just accepted a message with it.
            var key = round == 0 ? number.ApiKey
                : (await GatewayServer.ReadJsonAsync(await b.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{number.Id}/api_keys"), 201)).GetProperty("api_key").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await a.PostAsync("/messages", key, Text("4915100000201", $"a {round}"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("/messages", key, Text("4915100000201", $"b {round}"))).StatusCode);
            var keys = await GatewayServer.ReadJsonAsync(await a.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{number.Id}/api_keys"), 200);
            var keyId = keys.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("active").GetBoolean() && key.StartsWith(k.GetProperty("prefix").GetString()!, StringComparison.Ordinal))
                .GetProperty("id").GetString()!;

            // Revoked through one instance (alternating), refused by the other at once, and by itself.
            var (revoker, other) = round % 2 == 0 ? (b, a) : (a, b);
            Assert.Equal(HttpStatusCode.NoContent, (await revoker.AdminAsync(HttpMethod.Delete, $"/admin/v1/phone_numbers/{number.Id}/api_keys/{keyId}")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await other.PostAsync("/messages", key, Text("4915100000201", "after"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoker.PostAsync("/messages", key, Text("4915100000201", "after"))).StatusCode);
        }
    }

    [Fact]
    public async Task A_user_blocked_through_one_instance_cannot_be_written_to_through_the_other()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceAsync(database);
        await using var b = await InstanceAsync(database);
        var number = await a.CreateNumberAsync("cloud");
        await a.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000202", text = new { body = "hi" } });
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("/messages", number.ApiKey, Text("4915100000202", "before"))).StatusCode);

        var blocked = await a.PostAsync("/block_users", number.ApiKey, new { messaging_product = "whatsapp", block_users = new[] { new { user = "4915100000202" } } });
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        var refused = await b.PostAsync("/messages", number.ApiKey, Text("4915100000202", "after"));

        var error = await GatewayServer.ReadJsonAsync(refused, 400);
        Assert.Equal(131026, error.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_chat_moved_back_25_hours_through_one_instance_closes_the_window_on_the_other()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var a = await InstanceAsync(database, sentDelay: "10ms");
        await using var b = await InstanceAsync(database, sentDelay: "10ms");
        var number = await a.CreateNumberAsync("cloud");
        await a.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000203", text = new { body = "hi" } });
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsync("/messages", number.ApiKey, Text("4915100000203", "inside the window"))).StatusCode);

        var rewind = await a.AdminAsync(HttpMethod.Post, $"/sandbox/v1/numbers/{number.Id}/chats/4915100000203/rewind", new { hours = 25 });
        Assert.Equal(HttpStatusCode.OK, rewind.StatusCode);
        await b.PostAsync("/messages", number.ApiKey, Text("4915100000203", "outside"));

        // The send is accepted (WhatsApp answers 200) and fails on the phone with 131047, as its failed status says.
        for (var attempt = 0; ; attempt++)
        {
            var chat = await GatewayServer.ReadJsonAsync(await b.AdminAsync(HttpMethod.Get, $"/sandbox/v1/numbers/{number.Id}/chats/4915100000203"), 200);
            var outside = chat.GetProperty("messages").EnumerateArray()
                .Single(m => m.GetProperty("content").TryGetProperty("body", out var body) && body.GetString() == "outside");
            if (outside.TryGetProperty("error", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                Assert.Equal(131047, error.GetProperty("code").GetInt32());
                Assert.Equal("failed", outside.GetProperty("status").GetString());
                return;
            }
            Assert.True(attempt < 200, "the failed status never came due");
            await Task.Delay(25, Ct);
        }
    }
}
