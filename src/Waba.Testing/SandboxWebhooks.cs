using Waba.Client;
using Waba.Client.Gateway;
using Waba.Client.Webhooks;

namespace Waba.Testing;

/// <summary>
/// The webhook events the number's receiver got (answered 200 to), read from the gateway's delivery log, oldest
/// first, with helpers that wait for the one a test expects.
/// </summary>
public sealed class SandboxWebhooks(GatewayAdminClient admin, string numberId, TimeSpan timeout)
{
    /// <summary>Every event delivered so far.</summary>
    public async Task<IReadOnlyList<WebhookEvent>> ListAsync(CancellationToken cancellationToken = default)
    {
        var events = new List<WebhookEvent>();
        string? cursor = null;
        do
        {
            var page = await admin.ListDeliveriesAsync(new DeliveryQuery { NumberId = numberId, State = "delivered", Limit = 500, Cursor = cursor }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var delivery in page.Data)
            {
                events.AddRange(WebhookPayload.Parse(delivery.Payload.GetRawText()));
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return events;
    }

    /// <summary>Waits until the receiver got the status <paramref name="status"/> (sent, delivered, read, failed) of a message.</summary>
    public async Task<MessageStatus> WaitForStatusAsync(string messageId, string status, CancellationToken cancellationToken = default)
    {
        var found = await WaitForAsync(e => e.Kind == WebhookEventKind.Status && e.Status!.Id == messageId && e.Status.Status == status,
            $"status '{status}' of {messageId}", cancellationToken).ConfigureAwait(false);
        return found.Status!;
    }

    /// <summary>Waits until the receiver got a message from a user that matches <paramref name="predicate"/>.</summary>
    public async Task<InboundMessage> WaitForMessageAsync(Func<InboundMessage, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var found = await WaitForAsync(e => e.Kind == WebhookEventKind.Message && predicate(e.Message!), "a matching inbound message", cancellationToken)
            .ConfigureAwait(false);
        return found.Message!;
    }

    /// <summary>Waits until the receiver got an event that matches; the timeout's message lists what did come.</summary>
    public async Task<WebhookEvent> WaitForAsync(Func<WebhookEvent, bool> predicate, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        IReadOnlyList<WebhookEvent> seen = [];
        try
        {
            while (true)
            {
                seen = await ListAsync(limit.Token).ConfigureAwait(false);
                if (seen.FirstOrDefault(predicate) is { } match)
                {
                    return match;
                }
                await Task.Delay(25, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var got = seen.Count == 0 ? "none" : string.Join("; ", seen.TakeLast(10).Select(Describe));
            throw new TimeoutException($"The webhook receiver got no {description} within {timeout.TotalSeconds:0.#} s. Last events: {got}.");
        }
    }

    private static string Describe(WebhookEvent e) => e.Kind switch
    {
        WebhookEventKind.Message => $"message {e.Message!.Type} '{e.Message.DisplayText}'",
        WebhookEventKind.Status => $"status {e.Status!.Status} of {e.Status.Id}",
        WebhookEventKind.Error => $"error {e.Error!.Code}",
        _ => $"{e.Field}",
    };
}
