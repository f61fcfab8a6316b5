using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Signing;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>The result of one HTTP attempt; only HTTP 200 counts as delivered (360dialog's rule).</summary>
public sealed record AttemptResult(int? StatusCode, TimeSpan Latency, string? Error, string? ResponseExcerpt)
{
    public bool Succeeded => StatusCode == 200;
}

/// <summary>
/// POSTs one event to its receiver within the attempt timeout: the configured headers, the event id
/// (<c>webhook-id</c>, stable across attempts) and, when signing is on, the signatures of these exact bytes.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhooksOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";
    private const int ExcerptLength = 512;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly TimeSpan _timeout = Durations.Parse(options.Value.AttemptTimeout, "Webhooks:AttemptTimeout");
    private readonly bool _signing = options.Value.Signing;

    public Task<AttemptResult> PostAsync(DueDelivery delivery, WebhookTarget target, CancellationToken cancellationToken) =>
        PostAsync(delivery.EventId, delivery.Payload, delivery.Shape, target, cancellationToken);

    public async Task<AttemptResult> PostAsync(string eventId, string payload, HostingType shape, WebhookTarget target, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation("webhook-id", eventId);
        if (_signing && target.Secrets.Count > 0)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("webhook-signature",
                string.Join(' ', target.Secrets.Select(secret => WebhookSignatures.Standard(secret, eventId, timestamp, body))));
            if (shape == HostingType.Cloud)
            {
                // Meta-style receivers know one app secret: the current one.
                request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", WebhookSignatures.Hub(target.Secrets[0], body));
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            var status = (int)response.StatusCode;
            var latency = Stopwatch.GetElapsedTime(started);
            return new AttemptResult(status, latency,
                status == 200 ? null : $"The receiver answered {status}; only 200 counts as delivered.", excerpt);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(null, Stopwatch.GetElapsedTime(started), $"No answer within {_timeout.TotalSeconds:0.###} s.", null);
        }
        catch (HttpRequestException e)
        {
            return new AttemptResult(null, Stopwatch.GetElapsedTime(started), e.InnerException?.Message ?? e.Message, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else breaks (a URL the handler refuses, say) is this attempt's failure, not the worker's.
            return new AttemptResult(null, Stopwatch.GetElapsedTime(started), e.Message, null);
        }
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[ExcerptLength];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }
}
