using System.Net.Http.Headers;
using System.Net.Http.Json;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Admin;

/// <summary>Issue 22 (1): named admin keys beside Admin:Token — shown once, stored hashed, revocable — and an admin API that says how to turn it on.</summary>
public sealed class AdminKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> WithAsync(GatewayServer gateway, string? bearer, HttpMethod method, string path, object? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return gateway.Http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AnAdminKey_WorksUntilRevoked_AndIsNeverListedWithItsSecret()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var created = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, "/admin/v1/admin_keys", new { name = "ops on-call" }), 201);
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("waba_admin_", key, StringComparison.Ordinal);

        Assert.Equal(200, (int)(await WithAsync(gateway, key, HttpMethod.Get, "/admin/v1/wabas")).StatusCode);
        var list = await GatewayServer.ReadJsonAsync(await WithAsync(gateway, key, HttpMethod.Get, "/admin/v1/admin_keys"), 200);
        Assert.DoesNotContain(key, list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("ops on-call", Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        var database = await File.ReadAllBytesAsync(Path.Combine(gateway.Folder, "gateway.db"), Ct);
        var wal = Path.Combine(gateway.Folder, "gateway.db-wal");
        var stored = database.Concat(File.Exists(wal) ? await File.ReadAllBytesAsync(wal, Ct) : []).ToArray();
        Assert.Equal(-1, stored.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(key[12..])));

        Assert.Equal(204, (int)(await gateway.AdminAsync(HttpMethod.Delete, $"/admin/v1/admin_keys/{created.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(401, (int)(await WithAsync(gateway, key, HttpMethod.Get, "/admin/v1/wabas")).StatusCode);
        Assert.Equal(400, (int)(await gateway.AdminAsync(HttpMethod.Post, "/admin/v1/admin_keys", new { name = " " })).StatusCode);
    }

    [Fact]
    public async Task WithoutAnyAdminCredential_TheAdminApiIsOff_AndSaysHowToTurnItOn()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Admin:Token"] = "" });
        var response = await WithAsync(gateway, "anything", HttpMethod.Get, "/admin/v1/wabas");
        var problem = await GatewayServer.ReadJsonAsync(response, 404);
        Assert.Contains("Admin:Token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", "/sandbox")]
    [InlineData("false", "/docs")]
    public async Task TheRoot_LeadsToThePage_OrToTheReference(string sandbox, string target)
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:Enabled"] = sandbox });
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway.BaseAddress };
        var response = await client.GetAsync("/", Ct);
        Assert.Equal(302, (int)response.StatusCode);
        Assert.Equal(target, response.Headers.Location!.OriginalString);
    }
}
