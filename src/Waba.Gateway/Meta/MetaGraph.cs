using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Meta;

/// <summary>Calls to Meta's Graph API on behalf of one <c>meta</c> number, with its own access token.</summary>
public sealed class MetaGraph(IHttpClientFactory clients, IOptions<MetaOptions> options, IMetaStore metaStore, AccessTokenProtector tokens)
{
    private static readonly TimeSpan[] ReadRetries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];
    private readonly TimeSpan _timeout = Durations.Parse(options.Value.Timeout, "Meta:Timeout");

    public static bool Serves(Channel channel) => channel.Upstream == MetaUpstream.UpstreamName;

    /// <summary>The number's WABA id at Meta, or null when it has no credentials.</summary>
    public async Task<string?> MetaWabaIdAsync(Channel channel, CancellationToken cancellationToken) =>
        (await metaStore.FindMetaCredentialsAsync(channel.Id, cancellationToken))?.MetaWabaId;

    /// <summary>
    /// Sends a Graph request (<paramref name="path"/> after the version, or an absolute URL Meta handed out) and returns
    /// the response, or the error to answer with when Meta could not be asked.
    /// </summary>
    public async Task<(HttpResponseMessage? Response, ApiError? Error)> SendAsync(Channel channel, HttpMethod method, string path,
        HttpContent? content, CancellationToken cancellationToken)
    {
        if (await metaStore.FindMetaCredentialsAsync(channel.Id, cancellationToken) is not { } credentials)
        {
            return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, "This number has no Meta credentials."));
        }
        var url = path.StartsWith("https://", StringComparison.Ordinal) || path.StartsWith("http://", StringComparison.Ordinal)
            ? path
            : $"{options.Value.BaseUrl.TrimEnd('/')}/{options.Value.GraphVersion}/{path.TrimStart('/')}";
        var token = tokens.Unprotect(channel.Id, credentials.SealedToken);
        // Reads cannot do anything twice, so they are retried on 429, 5xx and connection failures; writes are not.
        var retries = method == HttpMethod.Get ? ReadRetries : [];
        for (var attempt = 0; ; attempt++)
        {
            var request = new HttpRequestMessage(method, url) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                var response = await clients.CreateClient(MetaUpstream.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (attempt < retries.Length && ((int)response.StatusCode == 429 || (int)response.StatusCode >= 500))
                {
                    response.Dispose();
                    await Task.Delay(retries[attempt], cancellationToken);
                    continue;
                }
                return (response, null);
            }
            catch (HttpRequestException) when (attempt < retries.Length)
            {
                await Task.Delay(retries[attempt], cancellationToken);
            }
            catch (HttpRequestException e)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta could not be reached: {e.Message}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamTimeout, $"Meta did not answer within {_timeout.TotalSeconds:0} s."));
            }
        }
    }

    /// <summary>
    /// Asks Meta on behalf of the request's number and answers with Meta's JSON as it came. A refusal is answered in
    /// <paramref name="dialect"/>'s error shape, or, with <paramref name="relayRefusals"/>, as Meta wrote it (for answers whose
    /// error body carries more than the error, such as a partly failed block).
    /// </summary>
    public async Task<IResult> RelayAsync(HttpContext http, HttpMethod method, string path, string? jsonBody, HostingType dialect, bool relayRefusals = false)
    {
        var (response, error) = await SendAsync(http.Channel(), method, path,
            jsonBody is null ? null : new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json"), http.RequestAborted);
        using (response)
        {
            if (response is null)
            {
                return DialectResults.Error(dialect, error!);
            }
            if (!response.IsSuccessStatusCode && !relayRefusals)
            {
                return DialectResults.Error(dialect, await ErrorOfAsync(response, http.RequestAborted));
            }
            return Results.Text(await response.Content.ReadAsStringAsync(http.RequestAborted), "application/json", statusCode: (int)response.StatusCode);
        }
    }

    /// <summary>Meta's error body as the caller's error, code, message and trace id kept; or a 502 for anything else.</summary>
    public static async Task<ApiError> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 100;
                var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
                var details = error.TryGetProperty("error_data", out var data) && data.TryGetProperty("details", out var d) ? d.GetString() ?? message : message;
                var status = (int)response.StatusCode is >= 400 and < 500 ? (int)response.StatusCode : 502;
                return new ApiError(ApiErrorKind.Upstream, details) { FromUpstream = (code, message, status, error.TryGetProperty("fbtrace_id", out var t) ? t.GetString() : null) };
            }
        }
        catch (JsonException)
        {
        }
        return new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta answered {(int)response.StatusCode}.");
    }
}
