using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waba.Gateway.Messaging;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Numbers;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Meta;

/// <summary>
/// Turns a verified webhook body from Meta into what the gateway keeps and delivers. A change with
/// <c>value.metadata.phone_number_id</c> belongs to that number: its inbound messages join the number's conversations
/// (a message Meta sends again is kept and delivered once), and the change goes to the number's webhook in its shape —
/// Meta's as it came for Cloud numbers (media <c>url</c>s pointing at the gateway), converted for On-Premise numbers.
/// A change without metadata is account-level (<c>entry[].id</c> is the WABA at Meta): it goes to the WABA webhook of
/// every gateway WABA with a number there, in Meta's shape, and its facts (quality, tier, restrictions) are kept.
/// </summary>
public sealed class MetaWebhookRouter(ITenantStore tenants, IMetaStore metaStore, IMessageStore messageStore)
{
    /// <summary>What a body routed to, and what it named that the gateway does not know.</summary>
    public sealed record Routed(MetaInbound Inbound, IReadOnlyList<string> Unrouted);

    public async Task<Routed> RouteAsync(byte[] body, DateTimeOffset now, string publicBaseUrl, CancellationToken cancellationToken)
    {
        var messages = new List<StoredMessage>();
        var events = new List<NewWebhookEvent>();
        var states = new List<AccountStatePatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { WebhookLogKeys.SignedWebhook };
        var unrouted = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var entry in Items(document.RootElement, "entry"))
            {
                foreach (var change in Items(entry, "changes"))
                {
                    if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }
                    if (value.TryGetProperty("metadata", out var metadata) && Text(metadata, "phone_number_id") is { } phoneNumberId)
                    {
                        var channel = await tenants.FindChannelByPhoneNumberIdAsync(phoneNumberId, cancellationToken);
                        if (channel is null)
                        {
                            unrouted.Add(phoneNumberId);
                            continue;
                        }
                        seen.Add(WebhookLogKeys.Number(channel.Id));
                        if (await NumberChangeAsync(channel, change, now, publicBaseUrl, messages, cancellationToken) is { } numberEvent)
                        {
                            events.Add(numberEvent);
                        }
                    }
                    else if (Text(entry, "id") is { } metaWabaId)
                    {
                        var targets = await TargetsAsync(metaWabaId, cancellationToken);
                        if (targets.Count == 0)
                        {
                            unrouted.Add("WABA " + metaWabaId);
                            continue;
                        }
                        foreach (var (wabaId, numbers) in targets)
                        {
                            seen.Add(WebhookLogKeys.Waba(wabaId));
                            events.Add(AccountEvent(entry, change, wabaId, numbers, now));
                            states.AddRange(AccountFacts(change, wabaId, numbers));
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Signed by Meta but not JSON: kept as it came, routed nowhere.
        }
        var inbound = new MetaInbound(Identifiers.NewOpaque("meta"), Encoding.UTF8.GetString(body), now, unrouted.Count == 0 && events.Count > 0,
            messages, events, states, [.. seen]);
        return new Routed(inbound, unrouted);
    }

    /// <summary>The gateway WABAs with numbers at this Meta WABA, each with its numbers (Cloud ones first).</summary>
    private async Task<List<(string WabaId, List<Channel> Numbers)>> TargetsAsync(string metaWabaId, CancellationToken cancellationToken)
    {
        var byWaba = new Dictionary<string, List<Channel>>(StringComparer.Ordinal);
        foreach (var id in await metaStore.ListChannelsOfMetaWabaAsync(metaWabaId, cancellationToken))
        {
            if (await tenants.FindChannelAsync(id, cancellationToken) is { } channel)
            {
                (byWaba.TryGetValue(channel.WabaId, out var list) ? list : byWaba[channel.WabaId] = []).Add(channel);
            }
        }
        return [.. byWaba.Select(kv => (kv.Key, kv.Value.OrderBy(c => c.HostingType == HostingType.Cloud ? 0 : 1).ToList()))];
    }

    private async Task<NewWebhookEvent?> NumberChangeAsync(Channel channel, JsonElement change, DateTimeOffset now, string publicBaseUrl,
        List<StoredMessage> kept, CancellationToken cancellationToken)
    {
        var changeNode = JsonNode.Parse(change.GetRawText())!.AsObject();
        var value = changeNode["value"]!.AsObject();
        var contacts = value["contacts"] as JsonArray;
        string? messageId = null, kind = null;
        if (value["messages"] is JsonArray inboundMessages)
        {
            foreach (var message in inboundMessages.OfType<JsonObject>().ToList())
            {
                var id = message["id"]?.GetValueKind() == JsonValueKind.String ? message["id"]!.GetValue<string>() : null;
                if (id is null)
                {
                    continue;
                }
                if (kept.Any(m => m.Id == id) || await messageStore.FindMessageAsync(channel.Id, id, cancellationToken) is not null)
                {
                    // Meta sent it again (its retries are at least once): the customer already has it.
                    inboundMessages.Remove(message);
                    continue;
                }
                PointMediaAtGateway(message, publicBaseUrl);
                kept.Add(Stored(channel, message, contacts, now));
                messageId ??= id;
                kind ??= "message." + (Str(message, "type") ?? "unknown");
            }
            if (inboundMessages.Count == 0 && value["statuses"] is null && value["errors"] is null)
            {
                return null;
            }
        }
        if (kind is null && value["statuses"] is JsonArray statuses && statuses.FirstOrDefault() is JsonObject status)
        {
            kind = "status." + (Str(status, "status") ?? "unknown");
            messageId = Str(status, "id");
        }
        kind ??= "change." + (Str(changeNode, "field") ?? "unknown");
        return new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, kind, channel.HostingType,
            channel.HostingType == HostingType.Cloud ? CloudPayload(channel.WabaId, null, changeNode) : OnPremisePayload(value), now, messageId);
    }

    /// <summary>
    /// Meta's media <c>url</c> is a lookaside URL only Meta's token opens; the customer gets the gateway's own form of it,
    /// which their API key (<c>D360-API-KEY</c> or Bearer) opens and the gateway streams from Meta.
    /// </summary>
    private static void PointMediaAtGateway(JsonObject message, string publicBaseUrl)
    {
        foreach (var kind in MessageTypeRules.MediaTypes)
        {
            if (message[kind] is JsonObject media && Str(media, "id") is { } mediaId)
            {
                media["url"] = Media.MediaEndpoints.AttachmentUrl(publicBaseUrl, mediaId);
            }
        }
    }

    /// <summary>
    /// The message as the number's conversation keeps it: Meta's message object, with the sender's profile name, under
    /// their phone number when Meta shows it, else their business-scoped user id.
    /// </summary>
    private static StoredMessage Stored(Channel channel, JsonObject message, JsonArray? contacts, DateTimeOffset now)
    {
        var from = Str(message, "from");
        var contact = contacts?.OfType<JsonObject>().FirstOrDefault(c => from is not null && Str(c, "wa_id") == from
            || Str(message, "from_user_id") is { } user && Str(c, "user_id") == user) ?? contacts?.OfType<JsonObject>().FirstOrDefault();
        var userId = Str(message, "from_user_id") ?? (contact is null ? null : Str(contact, "user_id"));
        var body = message.DeepClone().AsObject();
        if (contact?["profile"] is JsonObject profile && Str(profile, "name") is { } name)
        {
            body["name"] = name;
        }
        // Meta's timestamp is when the user sent it; one from the future (a skewed clock) is taken as now.
        var at = long.TryParse(Str(message, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && DateTimeOffset.FromUnixTimeSeconds(seconds) is var sent && sent <= now + TimeSpan.FromMinutes(5)
                ? sent
                : now;
        return new StoredMessage(Str(message, "id")!, channel.Id, MessageDirection.Inbound, from ?? userId ?? "unknown", Str(message, "type") ?? "unknown",
            body.ToJsonString(), at, userId);
    }

    private static NewWebhookEvent AccountEvent(JsonElement entry, JsonElement change, string wabaId, List<Channel> numbers, DateTimeOffset now)
    {
        var field = Text(change, "field") ?? "unknown";
        var value = change.GetProperty("value");
        var kind = field switch
        {
            "message_template_status_update" => "template." + (Text(value, "event") ?? "update").ToLowerInvariant(),
            "message_template_quality_update" or "template_category_update" or "message_template_components_update" => "template." + field,
            _ => "account." + field,
        };
        long? time = entry.TryGetProperty("time", out var t) && t.TryGetInt64(out var seconds) ? seconds : null;
        return new NewWebhookEvent(WebhookEvents.NewEventId(), numbers[0].Id, kind, HostingType.Cloud,
            CloudPayload(wabaId, time, JsonNode.Parse(change.GetRawText())!.AsObject()), now, null, ToWaba: true);
    }

    /// <summary>
    /// What an account-level change says about the WABA and its numbers, kept as their latest state: every change under its
    /// field's name, and the facts clients ask for by name (tier, quality, display-name review, restrictions, bans).
    /// </summary>
    private static IEnumerable<AccountStatePatch> AccountFacts(JsonElement change, string wabaId, List<Channel> numbers)
    {
        var field = Text(change, "field") ?? "unknown";
        var value = JsonNode.Parse(change.GetProperty("value").GetRawText())!.AsObject();
        var written = Str(value, "display_phone_number") ?? Str(value, "phone_number");
        var number = written is null ? null : numbers.FirstOrDefault(c => SameNumber(c.PhoneNumber, written));
        var facts = new JsonObject { [field] = value.DeepClone() };
        switch (field)
        {
            case "phone_number_quality_update":
                facts["quality_event"] = value["event"]?.DeepClone();
                if (value["current_limit"] is { } limit)
                {
                    facts["messaging_limit_tier"] = limit.DeepClone();
                }
                if (value["max_daily_conversations_per_business"] is { } daily)
                {
                    facts["max_daily_conversations_per_business"] = daily.DeepClone();
                }
                break;
            case "phone_number_name_update":
                facts["name_status"] = value["decision"]?.DeepClone();
                facts["requested_verified_name"] = value["requested_verified_name"]?.DeepClone();
                break;
            case "account_update":
                if (value["restriction_info"] is { } restrictions)
                {
                    facts["restrictions"] = restrictions.DeepClone();
                }
                if (value["ban_info"] is JsonObject ban)
                {
                    facts["ban_state"] = ban["waba_ban_state"]?.DeepClone();
                }
                if (value["violation_info"] is { } violation)
                {
                    facts["violation"] = violation.DeepClone();
                }
                break;
            case "account_review_update":
                facts["account_review_status"] = value["decision"]?.DeepClone();
                break;
        }
        yield return number is not null && field is "phone_number_quality_update" or "phone_number_name_update"
            ? new AccountStatePatch(AccountStateScopes.Number, number.Id, facts)
            : new AccountStatePatch(AccountStateScopes.Waba, wabaId, facts);
    }

    private static bool SameNumber(string digits, string written) =>
        Messaging.OutboundMessageReader.TryGetWaId(written, out var waId) && waId == digits;

    /// <summary>Meta's envelope around one change, for the gateway WABA that receives it (the customer knows that id).</summary>
    private static string CloudPayload(string wabaId, long? time, JsonObject change)
    {
        var entry = new JsonObject { ["id"] = wabaId };
        if (time is { } seconds)
        {
            entry["time"] = seconds;
        }
        entry["changes"] = new JsonArray(change);
        return Ascii(new JsonObject { ["object"] = "whatsapp_business_account", ["entry"] = new JsonArray(entry) });
    }

    /// <summary>
    /// The On-Premise shape: the arrays at the top, without Cloud's envelope and metadata. On-Premise had no BSUIDs, so a
    /// message from a user whose phone is hidden names them in <c>from</c> by their BSUID (as the sandbox does).
    /// </summary>
    private static string OnPremisePayload(JsonObject value)
    {
        var payload = new JsonObject();
        foreach (var name in new[] { "contacts", "messages", "statuses", "errors" })
        {
            if (value[name] is { } member)
            {
                payload[name] = member.DeepClone();
            }
        }
        if (payload["messages"] is JsonArray messages)
        {
            foreach (var message in messages.OfType<JsonObject>().Where(m => m["from"] is null && m["from_user_id"] is not null))
            {
                message["from"] = message["from_user_id"]!.DeepClone();
            }
        }
        return Ascii(payload);
    }

    /// <summary>Written as Meta writes its bodies: every character outside ASCII as a <c>\uXXXX</c> escape.</summary>
    private static string Ascii(JsonNode node)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            node.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Str(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
