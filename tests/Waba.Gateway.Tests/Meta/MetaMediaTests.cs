using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Meta;

/// <summary>
/// Issue 21 (3): media a user sends a <c>meta</c> number is downloaded with the customer's gateway key — from the webhook's
/// <c>url</c> as pywa does, by 360dialog's host swap, or by media id in each dialect — streamed from Meta, never buffered.
/// </summary>
public sealed class MetaMediaTests : IAsyncLifetime
{
    private MetaGateway _meta = null!;
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _meta = await MetaGateway.StartAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _meta.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ImageFrom(string mediaId, string lookaside) => MetaGateway.Members($$$"""
        {"contacts":[{"profile":{"name":"Kai"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.IMG{{{mediaId}}}","timestamp":"1764763200","type":"image",
         "image":{"caption":"receipt","mime_type":"image/jpeg","sha256":"abc123","id":"{{{mediaId}}}","url":"{{{lookaside}}}"}}]}
        """);

    [Theory]
    [InlineData("cloud")]
    [InlineData("on_premise")]
    public async Task InboundMediaUrl_PointsAtTheGateway_AndTheCustomersKeyDownloadsItFromMeta(string hosting)
    {
        var number = await _meta.NumberAsync(hosting);
        if (hosting == "cloud")
        {
            await _meta.Gateway.SetWabaWebhookAsync(number, _receiver.Url());
        }
        else
        {
            await _meta.Gateway.SetNumberWebhookAsync(number, _receiver.Url());
        }
        await _meta.PostWebhookAsync(MetaGateway.NumberChange(number, ImageFrom("7770001", "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=7770001&ext=1&hash=x")));

        var json = Assert.Single(await _receiver.WaitForAsync(r => r.Count >= 1)).Json;
        var value = hosting == "cloud" ? json.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value") : json;
        var image = value.GetProperty("messages")[0].GetProperty("image");
        var url = image.GetProperty("url").GetString()!;
        Assert.Equal($"{_meta.Gateway.BaseAddress.ToString().TrimEnd('/')}/whatsapp_business/attachments/?mid=7770001", url);
        Assert.Equal("receipt", image.GetProperty("caption").GetString());

        // 360dialog's clients send D360-API-KEY; pywa downloads the url with its Bearer token.
        using var byKey = new HttpRequestMessage(HttpMethod.Get, url);
        byKey.Headers.Add("D360-API-KEY", number.ApiKey);
        Assert.Equal("JPEG-BYTES", await (await _meta.Gateway.Http.SendAsync(byKey, Ct)).Content.ReadAsStringAsync(Ct));
        using var byBearer = new HttpRequestMessage(HttpMethod.Get, url);
        byBearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", number.ApiKey);
        var bearerAnswer = await _meta.Gateway.Http.SendAsync(byBearer, Ct);
        Assert.Equal("image/jpeg", bearerAnswer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("JPEG-BYTES", await bearerAnswer.Content.ReadAsStringAsync(Ct));
        Assert.Contains(_meta.Graph.Calls, c => c.Method == "GET" && c.Path == "/v26.0/7770001" && c.Authorization == $"Bearer {MetaGateway.Token}");
        Assert.Contains(_meta.Graph.Calls, c => c.Path == "/lookaside/7770001" && c.Authorization == $"Bearer {MetaGateway.Token}");

        using var noKey = new HttpRequestMessage(HttpMethod.Get, url);
        Assert.Equal(401, (int)(await _meta.Gateway.Http.SendAsync(noKey, Ct)).StatusCode);
    }

    [Fact]
    public async Task Download_IsStreamedFromMeta_NotBufferedWhole()
    {
        var number = await _meta.NumberAsync("cloud");
        var content = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);
        var firstChunkArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _meta.Graph.Respond = async (context, _) =>
        {
            if (context.Request.Path == "/v26.0/8880001")
            {
                await context.Response.WriteAsync($$"""{"messaging_product":"whatsapp","url":"{{_meta.Graph.BaseUrl}}/big","mime_type":"video/mp4","sha256":"x","file_size":{{content.Length}},"id":"8880001"}""", Ct);
                return true;
            }
            if (context.Request.Path == "/big")
            {
                context.Response.ContentType = "video/mp4";
                context.Response.ContentLength = content.Length;
                await context.Response.Body.WriteAsync(content.AsMemory(0, 1024 * 1024), Ct);
                await context.Response.Body.FlushAsync(Ct);
                // The rest is sent only once the customer has the first megabyte: a gateway that buffered whole would never get it.
                await firstChunkArrived.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
                await context.Response.Body.WriteAsync(content.AsMemory(1024 * 1024), Ct);
                return true;
            }
            return false;
        };

        using var request = GatewayServer.Request(HttpMethod.Get, "/whatsapp_business/attachments/?mid=8880001", number.ApiKey);
        using var response = await _meta.Gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (received.Length < 1024 * 1024)
        {
            var read = await stream.ReadAsync(buffer, Ct);
            Assert.True(read > 0, "the download ended early");
            received.Write(buffer, 0, read);
        }
        firstChunkArrived.SetResult();
        await stream.CopyToAsync(received, Ct);

        Assert.Equal(SHA256.HashData(content), SHA256.HashData(received.ToArray()));
    }

    [Fact]
    public async Task MediaIdOfAMetaNumber_IsAskedOfMeta_InEachDialect()
    {
        var cloud = await _meta.NumberAsync("cloud");
        var viaGraph = await GatewayServer.ReadJsonAsync(await _meta.GraphAsync(HttpMethod.Get, "/v24.0/7770002", cloud.ApiKey), 200);
        var direct = viaGraph.GetProperty("url").GetString()!;
        Assert.Equal($"{_meta.Gateway.BaseAddress.ToString().TrimEnd('/')}/v24.0/7770002/download", direct);
        Assert.Equal("JPEG-BYTES", await (await _meta.GraphAsync(HttpMethod.Get, direct, cloud.ApiKey)).Content.ReadAsStringAsync(Ct));

        var viaCloud = await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Get, "/7770002", cloud.ApiKey), 200);
        Assert.StartsWith("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=7770002", viaCloud.GetProperty("url").GetString(), StringComparison.Ordinal);

        var onPremise = await _meta.NumberAsync("on_premise");
        Assert.Equal("JPEG-BYTES", await (await _meta.SendAsync(HttpMethod.Get, "/v1/media/7770002", onPremise.ApiKey)).Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task MediaMetaDoesNotHave_IsMetasError_InTheCallersDialect()
    {
        var number = await _meta.NumberAsync("on_premise");
        _meta.Graph.Respond = async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"Tr"}}""", Ct);
            return true;
        };
        var answer = await GatewayServer.ReadJsonAsync(await _meta.SendAsync(HttpMethod.Get, "/v1/media/404404", number.ApiKey), 400);
        Assert.Equal(100, answer.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }
}
