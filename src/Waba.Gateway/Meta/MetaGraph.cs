using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Meta;

/// <summary>Meta's answer to a Graph call, read whole (JSON answers are small; media is streamed with <see cref="MetaGraph.SendAsync"/>).</summary>
public sealed record GraphAnswer(int Status, string Body)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Calls to Meta's Graph API on behalf of one <c>meta</c> number, with its own access token. Every call is retried when
/// no connection could be opened (nothing reached Meta); reads, which cannot do anything twice, also on 429, 5xx and
/// broken connections. Writes are never repeated once sent: a timeout or 5xx may have done the work.
/// </summary>
public sealed class MetaGraph(IHttpClientFactory clients, IOptions<MetaOptions> options, IMetaStore metaStore, AccessTokenProtector tokens)
{
    private static readonly TimeSpan[] Retries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];
    private readonly TimeSpan _timeout = Durations.Parse(options.Value.Timeout, "Meta:Timeout");

    public static bool Serves(Channel channel) => channel.Upstream == MetaUpstream.UpstreamName;

    /// <summary>The Graph version in the gateway's calls to Meta (<c>Meta:GraphVersion</c>).</summary>
    public string Version => options.Value.GraphVersion;

    public TimeSpan Timeout => _timeout;

    /// <summary>The number's WABA id at Meta, or null when it has no credentials.</summary>
    public async Task<string?> MetaWabaIdAsync(Channel channel, CancellationToken cancellationToken) =>
        (await metaStore.FindMetaCredentialsAsync(channel.Id, cancellationToken))?.MetaWabaId;

    /// <summary>The number's access token, or null when it has none.</summary>
    internal async Task<string?> AccessTokenAsync(Channel channel, CancellationToken cancellationToken) =>
        await metaStore.FindMetaCredentialsAsync(channel.Id, cancellationToken) is { } credentials
            ? tokens.Unprotect(channel.Id, credentials.SealedToken)
            : null;

    /// <summary>A Graph URL: <paramref name="path"/> after the version, or an absolute URL Meta handed out, as it is.</summary>
    public string Url(string path) =>
        path.StartsWith("https://", StringComparison.Ordinal) || path.StartsWith("http://", StringComparison.Ordinal)
            ? path
            : $"{options.Value.BaseUrl.TrimEnd('/')}/{options.Value.GraphVersion}/{path.TrimStart('/')}";

    /// <summary>
    /// Sends a Graph request with the number's token and returns the response once its headers arrived (the caller reads
    /// and disposes it), or the error to answer with when Meta could not be asked.
    /// </summary>
    public async Task<(HttpResponseMessage? Response, ApiError? Error)> SendAsync(Channel channel, HttpMethod method, string path,
        HttpContent? content, CancellationToken cancellationToken)
    {
        if (await AccessTokenAsync(channel, cancellationToken) is not { } token)
        {
            return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, "This number has no Meta credentials."));
        }
        return await SendWithTokenAsync(token, method, Url(path), content, cancellationToken);
    }

    /// <summary>A Graph request with a token the caller holds (the app's own token for app-level reads).</summary>
    internal async Task<(HttpResponseMessage? Response, ApiError? Error)> SendWithTokenAsync(string token, HttpMethod method, string url,
        HttpContent? content, CancellationToken cancellationToken)
    {
        var read = method == HttpMethod.Get;
        for (var attempt = 0; ; attempt++)
        {
            var request = new HttpRequestMessage(method, url) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                var response = await clients.CreateClient(MetaUpstream.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (read && attempt < Retries.Length && ((int)response.StatusCode == 429 || (int)response.StatusCode >= 500))
                {
                    response.Dispose();
                    await Task.Delay(Retries[attempt], cancellationToken);
                    continue;
                }
                return (response, null);
            }
            catch (HttpRequestException e) when (attempt < Retries.Length && (read || e.HttpRequestError == HttpRequestError.ConnectionError))
            {
                await Task.Delay(Retries[attempt], cancellationToken);
            }
            catch (HttpRequestException e)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta could not be reached: {e.Message}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamTimeout, $"Meta did not answer within {_timeout.TotalSeconds:0.#} s."));
            }
        }
    }

    /// <summary>A Graph call whose answer is read whole within the timeout: Meta's status and JSON, or why Meta could not be asked.</summary>
    public async Task<(GraphAnswer? Answer, ApiError? Error)> CallAsync(Channel channel, HttpMethod method, string path, string? jsonBody,
        CancellationToken cancellationToken)
    {
        if (await AccessTokenAsync(channel, cancellationToken) is not { } token)
        {
            return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, "This number has no Meta credentials."));
        }
        return await CallWithTokenAsync(token, method, Url(path), jsonBody, cancellationToken);
    }

    internal async Task<(GraphAnswer? Answer, ApiError? Error)> CallWithTokenAsync(string token, HttpMethod method, string url, string? jsonBody,
        CancellationToken cancellationToken)
    {
        var (response, error) = await SendWithTokenAsync(token, method, url,
            jsonBody is null ? null : new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        if (response is null)
        {
            return (null, error);
        }
        using (response)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                return (new GraphAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(timeout.Token)), null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamTimeout, $"Meta did not answer within {_timeout.TotalSeconds:0.#} s."));
            }
            catch (HttpRequestException e)
            {
                return (null, new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta's answer broke off: {e.Message}"));
            }
        }
    }

    /// <summary>
    /// Asks Meta on behalf of the request's number and answers with Meta's JSON as it came. A refusal is answered in
    /// <paramref name="dialect"/>'s error shape, or, with <paramref name="relayRefusals"/>, as Meta wrote it (for answers whose
    /// error body carries more than the error, such as a partly failed block; Graph callers always get Meta's own).
    /// </summary>
    public async Task<IResult> RelayAsync(HttpContext http, HttpMethod method, string path, string? jsonBody, HostingType dialect, bool relayRefusals = false)
    {
        var (answer, error) = await CallAsync(http.Channel(), method, path, jsonBody, http.RequestAborted);
        if (answer is null)
        {
            return DialectResults.Error(dialect, error!);
        }
        if (!answer.Succeeded && !relayRefusals)
        {
            return DialectResults.Error(dialect, ErrorOf(answer));
        }
        return Results.Text(answer.Body, "application/json", statusCode: answer.Status);
    }

    /// <summary>Meta's error body as the caller's error, code, message and trace id kept; or a 502 for anything else.</summary>
    public static async Task<ApiError> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ErrorOf(new GraphAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)));

    /// <inheritdoc cref="ErrorOfAsync"/>
    public static ApiError ErrorOf(GraphAnswer answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 100;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                var details = error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : message;
                var status = answer.Status is >= 400 and < 500 ? answer.Status : 502;
                var trace = error.TryGetProperty("fbtrace_id", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                return new ApiError(ApiErrorKind.Upstream, details) { FromUpstream = (code, message, status, trace) };
            }
        }
        catch (JsonException)
        {
        }
        return new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta answered {answer.Status}.");
    }
}
