using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Hosting;

/// <summary>Issue 21 (4): a path or method nothing serves is answered in the caller's shape, never a framework page.</summary>
public sealed class UnknownRouteTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private TestNumber _cloud = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        _cloud = await _gateway.CreateNumberAsync("cloud");
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer = null, string? apiKey = null)
    {
        var request = GatewayServer.Request(method, path, apiKey);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        return _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("GET", "/v26.0/{pnid}/unknown_edge")]
    [InlineData("GET", "/v26.0/{pnid}/messages")]
    [InlineData("DELETE", "/v26.0/{pnid}/register")]
    [InlineData("PUT", "/{pnid}/messages")]
    public async Task Graph_UnknownPathOrMethod_IsMetasGraphMethodException(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path.Replace("{pnid}", _cloud.PhoneNumberId, StringComparison.Ordinal), bearer: _cloud.ApiKey);

        var error = (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("error");
        Assert.Equal("GraphMethodException", error.GetProperty("type").GetString());
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Equal(33, error.GetProperty("error_subcode").GetInt32());
        Assert.StartsWith($"Unsupported {method.ToLowerInvariant()} request. Object with ID '{_cloud.PhoneNumberId}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
    }

    [Theory]
    [InlineData("POST", "/message")]
    [InlineData("GET", "/messages")]
    [InlineData("POST", "/waba_webhooks")]
    public async Task Cloud_UnknownPathOrMethod_Is404In360dialogsShape(string method, string path)
    {
        var response = await SendAsync(new HttpMethod(method), path, apiKey: _cloud.ApiKey);

        var meta = (await GatewayServer.ReadJsonAsync(response, 404)).GetProperty("meta");
        Assert.Equal(404, meta.GetProperty("httpCode").GetInt32());
        Assert.False(meta.GetProperty("success").GetBoolean());
        Assert.Contains(path, meta.GetProperty("developerMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnPremise_UnknownPath_Is404InTheErrorsShape()
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/mesages");
        var error = (await GatewayServer.ReadJsonAsync(response, 404)).GetProperty("errors")[0];
        Assert.Equal(1006, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Admin_UnknownPath_IsAProblemDocument()
    {
        var response = await _gateway.AdminAsync(HttpMethod.Get, "/admin/v1/nothing_here");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
