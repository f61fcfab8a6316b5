using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

/// <summary>Issue 22 (6): a body that is not JSON is answered in the dialect's shape, in plain words, with where it went wrong.</summary>
public sealed class MalformedJsonTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;

    public async ValueTask InitializeAsync() => _gateway = await GatewayServer.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("cloud", """{"messaging_product": "whatsapp", "to": "4915112345678",}""", "trailing comma", "line 1, column 57")]
    [InlineData("cloud", "{\"messaging_product\": \"whatsapp\",\n  \"to\" \"4915112345678\"}", "", "line 2, column 8")]
    [InlineData("on_premise", """{"to": "4915112345678", "text": {"body": "hi"}""", "closed", "line 1")]
    [InlineData("on_premise", """{"to": "4915112345678" /* why */}""", "comments", "line 1")]
    public async Task NotJson_IsPlainWordsWithThePosition_InTheDialectsShape(string hosting, string body, string reason, string where)
    {
        var number = await _gateway.CreateNumberAsync(hosting);
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, hosting == "cloud" ? "/messages" : "/v1/messages", number.ApiKey, rawBody: body),
            TestContext.Current.CancellationToken);

        var answer = await GatewayServer.ReadJsonAsync(response, 400);
        var details = hosting == "cloud"
            ? answer.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString()!
            : answer.GetProperty("errors")[0].GetProperty("details").GetString()!;
        Assert.StartsWith("The request body is not valid JSON: ", details, StringComparison.Ordinal);
        Assert.Contains(reason, details, StringComparison.Ordinal);
        Assert.Contains(where, details, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", details, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", details, StringComparison.Ordinal);
    }
}
