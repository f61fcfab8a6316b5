using System.Net.Http.Headers;
using System.Security.Cryptography;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

/// <summary>Issue 6 (Graph dialect): a Cloud API client that only changes its base URL works against the gateway.</summary>
public sealed class GraphDialectTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private TestNumber _number = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        _number = await _gateway.CreateNumberAsync("cloud");
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<HttpResponseMessage> GraphAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Send_WithBearerApiKey_AnswersLikeMeta()
    {
        var response = await GraphAsync(HttpMethod.Post, $"/v21.0/{_number.PhoneNumberId}/messages", _number.ApiKey,
            System.Net.Http.Json.JsonContent.Create(new { messaging_product = "whatsapp", to = "4915112345678", type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } }));
        var body = await GatewayServer.ReadJsonAsync(response, 200);
        Assert.Equal("whatsapp", body.GetProperty("messaging_product").GetString());
        Assert.StartsWith("wamid.", body.GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("4915112345678", body.GetProperty("contacts")[0].GetProperty("wa_id").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key-but-long-enough-for-a-prefix")]
    public async Task Send_WithoutAValidToken_Is401Code190(string? token)
    {
        var response = await GraphAsync(HttpMethod.Post, $"/v21.0/{_number.PhoneNumberId}/messages", token,
            System.Net.Http.Json.JsonContent.Create(new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "x" } }));
        var error = (await GatewayServer.ReadJsonAsync(response, 401)).GetProperty("error");
        Assert.Equal(190, error.GetProperty("code").GetInt32());
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Send_ToAnotherNumbersId_IsRefusedWithCode100()
    {
        var other = await _gateway.CreateNumberAsync("cloud");
        var response = await GraphAsync(HttpMethod.Post, $"/v21.0/{other.PhoneNumberId}/messages", _number.ApiKey,
            System.Net.Http.Json.JsonContent.Create(new { messaging_product = "whatsapp", to = "4915112345678", text = new { body = "x" } }));
        Assert.Equal(100, (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("error").GetProperty("code").GetInt32());
        // Not a version: Meta reads "latest" as an object id it cannot reach (issue 21: never a framework page).
        var unknown = (await GatewayServer.ReadJsonAsync(await GraphAsync(HttpMethod.Post, $"/latest/{_number.PhoneNumberId}/messages", _number.ApiKey), 400))
            .GetProperty("error");
        Assert.Equal("GraphMethodException", unknown.GetProperty("type").GetString());
        Assert.StartsWith("Unsupported post request. Object with ID 'latest'", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_UploadMetadataDownloadDelete_WithBearer()
    {
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(new StringContent("whatsapp"), "messaging_product");
        form.Add(new StringContent("image/jpeg"), "type");
        form.Add(file, "file", "photo.jpg");
        var id = (await GatewayServer.ReadJsonAsync(await GraphAsync(HttpMethod.Post, $"/v21.0/{_number.PhoneNumberId}/media", _number.ApiKey, form), 200))
            .GetProperty("id").GetString();

        var metadata = await GatewayServer.ReadJsonAsync(await GraphAsync(HttpMethod.Get, $"/v21.0/{id}", _number.ApiKey), 200);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), metadata.GetProperty("sha256").GetString());
        var url = new Uri(metadata.GetProperty("url").GetString()!);
        var download = await GraphAsync(HttpMethod.Get, url.PathAndQuery, _number.ApiKey);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(401, (int)(await GraphAsync(HttpMethod.Get, url.PathAndQuery, null)).StatusCode);

        Assert.True((await GatewayServer.ReadJsonAsync(await GraphAsync(HttpMethod.Delete, $"/v21.0/{id}", _number.ApiKey), 200)).GetProperty("success").GetBoolean());
        Assert.Equal(404, (int)(await GraphAsync(HttpMethod.Get, $"/v21.0/{id}", _number.ApiKey)).StatusCode);
    }
}
