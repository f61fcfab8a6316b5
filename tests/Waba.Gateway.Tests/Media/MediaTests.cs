using System.Net.Http.Headers;
using System.Security.Cryptography;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Media;

/// <summary>Issue 3: media upload, metadata, download and delete in both dialects; limits; ownership; inbound media.</summary>
public sealed class MediaTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private static byte[] Bytes(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private async Task<HttpResponseMessage> UploadMultipartAsync(TestNumber number, byte[] bytes, string mime, bool typeFirst = true)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(mime);
        if (typeFirst)
        {
            form.Add(new StringContent("whatsapp"), "messaging_product");
            form.Add(new StringContent(mime), "type");
        }
        form.Add(file, "file", "upload.bin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media") { Content = form };
        request.Headers.Add("D360-API-KEY", number.ApiKey);
        return await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, TestNumber number) =>
        await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, path, number.ApiKey), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Cloud_UploadMetadataDownloadDelete_AndOtherNumbersGet404()
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var other = await _gateway.CreateNumberAsync("cloud");
        var bytes = Bytes(300_000);

        var id = (await GatewayServer.ReadJsonAsync(await UploadMultipartAsync(number, bytes, "image/png"), 200)).GetProperty("id").GetString()!;

        var metadata = await GatewayServer.ReadJsonAsync(await GetAsync($"/{id}", number), 200);
        Assert.Equal("image/png", metadata.GetProperty("mime_type").GetString());
        Assert.Equal(bytes.Length, metadata.GetProperty("file_size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), metadata.GetProperty("sha256").GetString());
        // 360dialog's form: Meta's lookaside URL, downloaded by swapping its host for the gateway's (issue 11).
        var url = metadata.GetProperty("url").GetString()!;
        Assert.StartsWith("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=", url, StringComparison.Ordinal);

        var downloadPath = url.Replace("https://lookaside.fbsbx.com", "", StringComparison.Ordinal);
        var download = await GetAsync(downloadPath, number);
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(100, (await GatewayServer.ReadJsonAsync(await GetAsync($"/{id}", other), 404)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(404, (int)(await GetAsync(downloadPath, other)).StatusCode);
        using var foreignDelete = GatewayServer.Request(HttpMethod.Delete, $"/{id}", other.ApiKey);
        Assert.Equal(404, (int)(await _gateway.Http.SendAsync(foreignDelete, TestContext.Current.CancellationToken)).StatusCode);

        using var delete = GatewayServer.Request(HttpMethod.Delete, $"/{id}", number.ApiKey);
        Assert.True((await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(delete, TestContext.Current.CancellationToken), 200)).GetProperty("success").GetBoolean());
        Assert.Equal(404, (int)(await GetAsync($"/{id}", number)).StatusCode);
        Assert.Equal(404, (int)(await GetAsync(downloadPath, number)).StatusCode);

        var sent = await _gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", to = "4915112345678", type = "image", image = new { id, caption = "x" } });
        Assert.Equal(200, (int)sent.StatusCode);
    }

    [Fact]
    public async Task OnPremise_RawUploadDownloadDelete()
    {
        var number = await _gateway.CreateNumberAsync("on_premise");
        var bytes = Bytes(50_000, seed: 3);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/v1/media") { Content = new ByteArrayContent(bytes) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        upload.Headers.Add("D360-API-KEY", number.ApiKey);
        var created = await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(upload, TestContext.Current.CancellationToken), 201);
        var id = created.GetProperty("media")[0].GetProperty("id").GetString()!;

        var download = await GetAsync($"/v1/media/{id}", number);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        using var delete = GatewayServer.Request(HttpMethod.Delete, $"/v1/media/{id}", number.ApiKey);
        Assert.Equal(200, (int)(await _gateway.Http.SendAsync(delete, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(1006, (await GatewayServer.ReadJsonAsync(await GetAsync($"/v1/media/{id}", number), 404)).GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("image/gif", 1000, "type")]
    [InlineData("image/png", 5 * 1024 * 1024 + 1, "file")]
    [InlineData("image/webp", 500 * 1024 + 1, "file")]
    public async Task Upload_WrongTypeOrTooLarge_IsRefusedWith131053AndLeavesNothing(string mime, int size, string field)
    {
        var number = await _gateway.CreateNumberAsync("cloud");
        var error = (await GatewayServer.ReadJsonAsync(await UploadMultipartAsync(number, Bytes(size), mime, typeFirst: false), 400)).GetProperty("error");
        Assert.Equal(131053, error.GetProperty("code").GetInt32());
        Assert.StartsWith(field, error.GetProperty("error_data").GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_gateway.Folder, "media")));

        var onPremise = await _gateway.CreateNumberAsync("on_premise");
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/v1/media") { Content = new ByteArrayContent(Bytes(size)) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue(mime);
        upload.Headers.Add("D360-API-KEY", onPremise.ApiKey);
        var onPremiseError = (await GatewayServer.ReadJsonAsync(await _gateway.Http.SendAsync(upload, TestContext.Current.CancellationToken), 400)).GetProperty("errors")[0];
        Assert.Equal(1009, onPremiseError.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task SimulatedUser_SendsAnImage_TheCustomerDownloadsItByItsId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await _gateway.CreateNumberAsync("cloud");
        await _gateway.SetWabaWebhookAsync(number, receiver.Url());
        var bytes = Bytes(20_000, seed: 11);

        var accepted = await _gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new
        {
            from = "4915199999999",
            type = "image",
            image = new { data = Convert.ToBase64String(bytes), mime_type = "image/jpeg", caption = "my receipt" },
        });
        await GatewayServer.ReadJsonAsync(accepted, 202);

        var webhook = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1));
        var image = webhook.Json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value").GetProperty("messages")[0].GetProperty("image");
        Assert.Equal("image/jpeg", image.GetProperty("mime_type").GetString());
        Assert.Equal("my receipt", image.GetProperty("caption").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), image.GetProperty("sha256").GetString());

        var metadata = await GatewayServer.ReadJsonAsync(await GetAsync($"/{image.GetProperty("id").GetString()}", number), 200);
        var download = await GetAsync(new Uri(metadata.GetProperty("url").GetString()!).PathAndQuery, number);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
