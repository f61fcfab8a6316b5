using System.Text.Json;
using System.Text.Json.Nodes;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;

namespace Waba.Gateway.Meta;

/// <summary>
/// Real WhatsApp through Meta's Cloud API, with each number's own access token. On-Premise bodies are turned into the
/// Cloud shape on the way out. Meta's refusals come back with Meta's code, message and trace id. A send is retried only
/// when the connection could not be opened (nothing reached Meta); a timeout or 5xx may have sent the message, so the
/// caller gets 504 / 502 instead of a second copy. Statuses arrive later through <c>/meta/webhook</c>.
/// </summary>
internal sealed class MetaUpstream(MetaGraph graph) : IMessageUpstream
{
    public const string UpstreamName = "meta";
    public const string HttpClientName = "meta";

    public string Name => UpstreamName;

    public bool ResolvesUserIds => false;

    public async ValueTask<UpstreamAcceptance> AcceptAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        var (answer, error) = await graph.CallAsync(channel, HttpMethod.Post, $"{channel.PhoneNumberId}/messages", CloudBody(message.Body), cancellationToken);
        if (answer is null)
        {
            return Rejected(error!.Kind == ApiErrorKind.UpstreamTimeout
                ? new ApiError(ApiErrorKind.UpstreamTimeout,
                    $"Meta did not answer within {graph.Timeout.TotalSeconds:0.#} s; the message may or may not have been sent, so it was not sent again.")
                : error);
        }
        return Interpret(answer, message);
    }

    /// <summary>Read receipts and typing indicators go to Meta as the caller wrote them; Meta knows which messages the number received.</summary>
    public async ValueTask<ApiError?> MarkReadAsync(Channel channel, ReadReceipt receipt, CancellationToken cancellationToken)
    {
        var (answer, error) = await graph.CallAsync(channel, HttpMethod.Post, $"{channel.PhoneNumberId}/messages", CloudBody(receipt.CloudBody), cancellationToken);
        return answer is null ? error : answer.Succeeded ? null : MetaGraph.ErrorOf(answer);
    }

    private static UpstreamAcceptance Interpret(GraphAnswer answer, OutboundMessage message)
    {
        JsonElement root = default;
        try
        {
            root = JsonDocument.Parse(answer.Body).RootElement;
        }
        catch (JsonException)
        {
        }
        if (answer.Succeeded && root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
            && messages[0].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return new UpstreamAcceptance(id.GetString()!, [], Recipient: RecipientOf(root, message), UpstreamAnswer: answer.Body);
        }
        if (answer.Status is >= 400 and < 500 and not 429 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
        {
            return Rejected(MetaGraph.ErrorOf(answer));
        }
        return Rejected(new ApiError(ApiErrorKind.UpstreamUnavailable,
            $"Meta answered {answer.Status}; the message may or may not have been sent, so it was not sent again."));
    }

    /// <summary>Who Meta says the message went to: its <c>contacts[0]</c> (Meta's normalised <c>wa_id</c>, the BSUID).</summary>
    private static RecipientIdentity RecipientOf(JsonElement root, OutboundMessage message)
    {
        string? waId = null, userId = null;
        if (root.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array && contacts.GetArrayLength() > 0
            && contacts[0].ValueKind == JsonValueKind.Object)
        {
            waId = contacts[0].TryGetProperty("wa_id", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null;
            userId = contacts[0].TryGetProperty("user_id", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        }
        var toPhone = message.UserId is null;
        return new RecipientIdentity(message.Addressee, toPhone, waId ?? (toPhone ? message.WaId : null), waId is not null || toPhone,
            userId ?? message.UserId, null, null);
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
