using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;

namespace Waba.Gateway.Meta;

/// <summary>
/// Real WhatsApp through Meta's Cloud API, with each number's own access token. On-Premise bodies are turned into the
/// Cloud shape on the way out. Meta's refusals come back with Meta's code, message and trace id. A send is retried only
/// when the connection could not be opened (nothing reached Meta); a timeout or 5xx may have sent the message, so the
/// caller gets 504 / 502 instead of a second copy. Statuses arrive later through <c>/meta/webhook</c>.
/// </summary>
internal sealed class MetaUpstream(IHttpClientFactory clients, IOptions<MetaOptions> options, IMetaStore metaStore, AccessTokenProtector tokens)
    : IMessageUpstream
{
    public const string UpstreamName = "meta";
    public const string HttpClientName = "meta";
    private static readonly TimeSpan[] ConnectRetries = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];

    private readonly TimeSpan _timeout = Durations.Parse(options.Value.Timeout, "Meta:Timeout");

    public string Name => UpstreamName;

    public async ValueTask<UpstreamAcceptance> AcceptAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (await metaStore.FindMetaCredentialsAsync(channel.Id, cancellationToken) is not { } credentials)
        {
            return Rejected(new ApiError(ApiErrorKind.UpstreamUnavailable, "This number has no Meta credentials."));
        }
        var token = tokens.Unprotect(channel.Id, credentials.SealedToken);
        var body = CloudBody(message.Body);
        var url = $"{options.Value.BaseUrl.TrimEnd('/')}/{options.Value.GraphVersion}/{channel.PhoneNumberId}/messages";
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                return Interpret(response.StatusCode, text);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < ConnectRetries.Length)
            {
                await Task.Delay(ConnectRetries[attempt], cancellationToken);
            }
            catch (HttpRequestException e)
            {
                return Rejected(new ApiError(ApiErrorKind.UpstreamUnavailable, $"Meta could not be reached: {e.Message}"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Rejected(new ApiError(ApiErrorKind.UpstreamTimeout,
                    $"Meta did not answer within {_timeout.TotalSeconds:0} s; the message may or may not have been sent, so it was not sent again."));
            }
        }
    }

    private static UpstreamAcceptance Interpret(HttpStatusCode status, string text)
    {
        JsonElement root = default;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
        }
        if ((int)status is >= 200 and < 300 && root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0)
        {
            return new UpstreamAcceptance(messages[0].GetProperty("id").GetString()!, []);
        }
        if ((int)status is >= 400 and < 500 and not 429 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 100;
            var meta = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            var details = error.TryGetProperty("error_data", out var data) && data.TryGetProperty("details", out var d) ? d.GetString() ?? meta : meta;
            var trace = error.TryGetProperty("fbtrace_id", out var t) ? t.GetString() : null;
            return Rejected(new ApiError(ApiErrorKind.Upstream, details) { FromUpstream = (code, meta, (int)status, trace) });
        }
        return Rejected(new ApiError(ApiErrorKind.UpstreamUnavailable,
            $"Meta answered {(int)status}; the message may or may not have been sent, so it was not sent again."));
    }

    /// <summary>The Cloud shape of a send body: On-Premise bodies lack <c>messaging_product</c> and may carry a template namespace.</summary>
    public static string CloudBody(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        if (node["messaging_product"] is null)
        {
            node.Insert(0, "messaging_product", "whatsapp");
        }
        if (node["template"] is JsonObject template)
        {
            template.Remove("namespace");
        }
        return node.ToJsonString();
    }

    private static UpstreamAcceptance Rejected(ApiError error) => new(string.Empty, [], error);
}
