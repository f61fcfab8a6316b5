using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Webhooks.Delivery;

/// <summary>The result of one HTTP attempt; only HTTP 200 counts as delivered (360dialog's rule).</summary>
public sealed record AttemptResult(int? StatusCode, TimeSpan Latency, string? Error, string? ResponseExcerpt)
{
    public bool Succeeded => StatusCode == 200;
}

/// <summary>POSTs one event to its receiver, with the event id and the configured headers, within the attempt timeout.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhooksOptions> options)
{
    public const string HttpClientName = "webhooks";
    private const int ExcerptLength = 512;
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly TimeSpan _timeout = Durations.Parse(options.Value.AttemptTimeout, "Webhooks:AttemptTimeout");

    public async Task<AttemptResult> PostAsync(DueDelivery delivery, WebhookTarget target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Payload)) { Headers = { ContentType = Json } },
        };
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation("webhook-id", delivery.EventId);

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
