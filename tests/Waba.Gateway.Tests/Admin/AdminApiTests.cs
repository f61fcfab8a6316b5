using System.Net.Http.Headers;
using System.Net.Http.Json;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Admin;

public sealed class AdminApiTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task AdminApi_WithoutConfiguredToken_Is404()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Admin:Token"] = "" });
        var response = await gateway.AdminAsync(HttpMethod.Post, "/admin/v1/wabas", new { name = "Acme" });
        Assert.Equal(404, (int)response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-of-some-length")]
    [InlineData("Basic dGVzdC1hZG1pbi10b2tlbi0wMTIzNDU2Nzg5")]
    public async Task AdminApi_WithoutTheRightBearerToken_Is401Problem(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/v1/wabas") { Content = JsonContent.Create(new { name = "Acme" }) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await GatewayServer.ReadJsonAsync(response, 401);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateWabaNumberAndKey_AnswerIdsAndTheKeyWorksOnce()
    {
        var waba = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, "/admin/v1/wabas", new { name = "Acme" }), 201);
        var wabaId = waba.GetProperty("id").GetString()!;
        Assert.Matches("^[1-9][0-9]{14}$", wabaId);

        var number = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers",
            new { phone_number = "4915100000001", hosting_type = "cloud", upstream = "sandbox" }), 201);
        var id = number.GetProperty("id").GetString()!;
        Assert.Matches("^[1-9][0-9]{14}$", number.GetProperty("phone_number_id").GetString()!);
        Assert.Equal("cloud", number.GetProperty("hosting_type").GetString());

        var key = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/phone_numbers/{id}/api_keys"), 201);
        var apiKey = key.GetProperty("api_key").GetString()!;
        var send = await _gateway.PostAsync("/messages", apiKey, new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "Hi" } });
        Assert.Equal(200, (int)send.StatusCode);

        var shown = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{id}"), 200);
        Assert.DoesNotContain(apiKey, shown.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_StoresKeyHashNotKey()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_gateway.Folder, "gateway.db"), TestContext.Current.CancellationToken);
        var wal = Path.Combine(_gateway.Folder, "gateway.db-wal");
        var walBytes = File.Exists(wal) ? await File.ReadAllBytesAsync(wal, TestContext.Current.CancellationToken) : [];
        var secret = System.Text.Encoding.ASCII.GetBytes(number.ApiKey[12..]);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(secret));
        Assert.Equal(-1, walBytes.AsSpan().IndexOf(secret));
    }

    [Theory]
    [InlineData("""{"phone_number":"4915100000009","hosting_type":"hybrid"}""", "hosting_type")]
    [InlineData("""{"phone_number":"call me","hosting_type":"cloud"}""", "phone_number")]
    [InlineData("""{"phone_number":"4915100000009","hosting_type":"cloud","upstream":"carrier-pigeon"}""", "upstream")]
    [InlineData("""{"phone_number":""", "JSON")]
    public async Task CreateNumber_BadInput_Is400ProblemNamingTheField(string body, string named)
    {
        var wabaId = await _gateway.CreateWabaAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers")
        {
            Content = new StringContent(body, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayServer.AdminToken);
        var problem = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken), 400);
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateNumber_SameNumberTwice_Is409()
    {
        var wabaId = await _gateway.CreateWabaAsync();
        var body = new { phone_number = "4915100000042", hosting_type = "on_premise" };
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers", body), 201);
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{wabaId}/phone_numbers", body), 409);
    }

    [Fact]
    public async Task UnknownWabaOrNumber_Is404Problem()
    {
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, "/admin/v1/wabas/123/phone_numbers",
            new { phone_number = "4915100000043", hosting_type = "cloud" }), 404);
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Post, "/admin/v1/phone_numbers/pn_nope/api_keys"), 404);
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, "/admin/v1/deliveries/evt_nope"), 404);
    }

    [Fact]
    public async Task Deliveries_ArePagedAndFilteredByNumberAndState()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var other = await _gateway.CreateNumberAsync("on_premise");
        for (var i = 0; i < 5; i++)
        {
            await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915199999999", text = new { body = $"m{i}" } });
        }
        await _gateway.PostAsync("/sandbox/v1/inbound", other.ApiKey, new { from = "4915199999999", text = new { body = "other" } });

        var first = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&limit=3"), 200);
        Assert.Equal(3, first.GetProperty("data").GetArrayLength());
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&limit=3&cursor={cursor}"), 200);
        Assert.Equal(2, second.GetProperty("data").GetArrayLength());
        Assert.False(second.TryGetProperty("next_cursor", out _));
        var all = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).ToList();
        Assert.Equal(5, all.Select(d => d.GetProperty("event_id").GetString()).Distinct().Count());
        Assert.All(all, d => Assert.Equal(number.Id, d.GetProperty("number_id").GetString()));

        var delivered = await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/deliveries?number_id={number.Id}&state=delivered"), 200);
        Assert.Equal(0, delivered.GetProperty("data").GetArrayLength());
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, "/admin/v1/deliveries?state=lost"), 400);
        await GatewayServer.ReadJsonAsync(await _gateway.AdminAsync(HttpMethod.Get, "/admin/v1/deliveries?from=yesterday"), 400);
    }
}
