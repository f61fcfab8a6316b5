using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// Simulated WhatsApp. Refuses what WhatsApp refuses at once (throughput, pair rate), and plans the statuses that
/// follow (sent, delivered, read; or failed for a non-user or a closed customer-service window). The statuses are
/// stored with the message, so they survive a restart like any other event.
/// </summary>
internal sealed class SandboxUpstream(
    IOptions<SandboxOptions> options,
    SimulatedUsers users,
    SandboxRateLimits limits,
    Messaging.IMessageStore messages,
    Templates.ITemplateStore templateStore,
    Blocking.IBlockListStore blocks,
    UserDirectory directory,
    TimeProvider time) : IMessageUpstream
{
    public const string UpstreamName = "sandbox";

    private readonly TimeSpan _sent = Durations.Parse(options.Value.SentDelay, "Sandbox:SentDelay");
    private readonly TimeSpan _delivered = Durations.Parse(options.Value.DeliveredDelay, "Sandbox:DeliveredDelay");
    private readonly TimeSpan _read = Durations.Parse(options.Value.ReadDelay, "Sandbox:ReadDelay");
    private readonly TimeSpan _window = Durations.Parse(options.Value.CustomerServiceWindow, "Sandbox:CustomerServiceWindow");
    private readonly bool _enforceWindow = options.Value.EnforceCustomerServiceWindow;

    public string Name => UpstreamName;

    public bool ResolvesUserIds => true;

    public async ValueTask<UpstreamAcceptance> AcceptAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!channel.Registered)
        {
            return Rejected(new ApiError(ApiErrorKind.NotRegistered,
                "This number is deregistered; register it again with POST /{phone-number-id}/register {\"messaging_product\": \"whatsapp\", \"pin\": ...}."));
        }
        var now = time.GetUtcNow();
        // Who the message is for: the user behind the phone number, or behind the BSUID (a retired or unknown one reaches nobody).
        SandboxUser? user;
        if (message.UserId is { } userId)
        {
            user = await directory.ResolveAsync(channel.WabaId, userId, cancellationToken);
            if (user is null || user.ChangedTo is not null)
            {
                return new UpstreamAcceptance(Identifiers.NewMessageId(),
                    [new PlannedStatus("failed", now + _sent, StatusError.NotOnWhatsApp(userId))],
                    Recipient: new RecipientIdentity(userId, false, null, false, userId, null, null));
            }
        }
        else
        {
            user = await directory.LookupAsync(channel.WabaId, message.WaId, cancellationToken);
        }
        var waId = user.WaId;
        var recipient = directory.Describe(user, message.UserId is null, message.Addressee);
        if (await blocks.IsBlockedAsync(channel.Id, waId, cancellationToken))
        {
            return Rejected(new ApiError(ApiErrorKind.RecipientBlocked,
                $"The recipient {message.Addressee} is blocked by this number; unblock them with DELETE /block_users before writing to them."));
        }
        if (message.Type == "template" && await CheckTemplateAsync(channel, message, cancellationToken) is { } templateError)
        {
            return Rejected(templateError);
        }
        if (!limits.TryTakeThroughput(channel.Id))
        {
            return Rejected(new ApiError(ApiErrorKind.ThroughputExceeded, $"Cloud API message throughput has been reached: more than {options.Value.Throughput} messages per second from this number."));
        }
        // The pair rate and the customer-service window belong to the user, however the business addresses them.
        if (!limits.TryTakePair(channel.Id, waId))
        {
            return Rejected(new ApiError(ApiErrorKind.PairRateLimited, $"Too many messages to {message.Addressee} in a short time; wait before sending to this user again."));
        }
        var id = Identifiers.NewMessageId();
        if (!users.IsOnWhatsApp(waId) || user.NotOnWhatsApp || user.ChangedTo is not null)
        {
            return new UpstreamAcceptance(id, [new PlannedStatus("failed", now + _sent, StatusError.NotOnWhatsApp(message.Addressee))], Recipient: recipient);
        }
        // Templates open conversations; everything else needs the user to have written within the window.
        if (_enforceWindow && message.Type != "template"
            && !(await messages.LastInboundAsync(channel.Id, waId, cancellationToken) is { } lastInbound && now - lastInbound < _window))
        {
            return new UpstreamAcceptance(id, [new PlannedStatus("failed", now + _sent, StatusError.WindowClosed(message.Addressee))], Recipient: recipient);
        }
        if (message.UserId is null)
        {
            // Writing to the phone number puts it in the business's contact book (Meta's phone-number rules).
            await directory.RecordPhoneSharedAsync(user, cancellationToken);
        }
        List<PlannedStatus> statuses = [new("sent", now + _sent), new("delivered", now + _delivered)];
        if (users.Reads(waId) && !user.NeverReads)
        {
            statuses.Add(new PlannedStatus("read", now + _read));
        }
        return new UpstreamAcceptance(id, statuses, Recipient: recipient);
    }

    private static UpstreamAcceptance Rejected(ApiError error) => new(string.Empty, [], error);

    /// <summary>Only a message the user sent to this number can be marked read; the typing indicator shows nothing here.</summary>
    public async ValueTask<ApiError?> MarkReadAsync(Channel channel, ReadReceipt receipt, CancellationToken cancellationToken)
    {
        var message = await messages.FindMessageAsync(channel.Id, receipt.MessageId, cancellationToken);
        return message is { Direction: MessageDirection.Inbound }
            ? null
            : new ApiError(ApiErrorKind.ResourceNotFound, $"message_id: '{receipt.MessageId}' is not a message this number received.");
    }

    /// <summary>The template must exist in that language, be approved, and get as many parameters as its text has.</summary>
    private async Task<ApiError?> CheckTemplateAsync(Channel channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        using var document = System.Text.Json.JsonDocument.Parse(message.Body);
        var request = document.RootElement.GetProperty("template");
        var name = request.GetProperty("name").GetString()!;
        var language = request.GetProperty("language").GetProperty("code").GetString()!;
        // On-Premise template messages name the WABA's namespace; another namespace holds no such template.
        if (request.TryGetProperty("namespace", out var ns) && ns.ValueKind == System.Text.Json.JsonValueKind.String
            && ns.GetString() != Templates.TemplateReview.NamespaceOf(channel.WabaId))
        {
            return new ApiError(ApiErrorKind.TemplateNotFound, $"template.namespace: '{ns.GetString()}' is not this WABA's namespace ({Templates.TemplateReview.NamespaceOf(channel.WabaId)})");
        }
        var template = await templateStore.FindTemplateAsync(channel.WabaId, name, language, cancellationToken);
        if (template is null || template.StatusAt(time.GetUtcNow()) != "approved")
        {
            return new ApiError(ApiErrorKind.TemplateNotFound,
                $"template.name: '{name}' does not exist in {language}{(template is null ? "" : " or is not approved yet")}");
        }
        foreach (var type in new[] { "header", "body" })
        {
            var given = new List<System.Text.Json.JsonElement>();
            if (request.TryGetProperty("components", out var components) && components.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var component in components.EnumerateArray())
                {
                    if (component.GetProperty("type").GetString() == type && component.TryGetProperty("parameters", out var parameters)
                        && parameters.ValueKind == System.Text.Json.JsonValueKind.Array)
                    {
                        // Media header parameters fill the header's media, not {{n}} placeholders.
                        given.AddRange(parameters.EnumerateArray().Where(p => type == "body" || p.GetProperty("type").GetString() == "text"));
                    }
                }
            }
            var placeholders = template.Placeholders(type);
            var mismatch = Templates.MessageTemplate.AreNamed(placeholders)
                ? NamedMismatch(type, name, placeholders, given)
                : given.Count != placeholders.Count ? $"the {type} of '{name}' expects {placeholders.Count} parameters, got {given.Count}" : null;
            if (mismatch is not null)
            {
                return new ApiError(ApiErrorKind.TemplateParameterMismatch, $"template.components: {mismatch}");
            }
        }
        return null;
    }

    /// <summary>A named template takes each of its names once, by <c>parameter_name</c>; WhatsApp refuses others (132000).</summary>
    private static string? NamedMismatch(string type, string template, IReadOnlyList<string> placeholders, List<System.Text.Json.JsonElement> given)
    {
        var expected = string.Join(", ", placeholders);
        var names = given.Select(p => p.TryGetProperty("parameter_name", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null).ToList();
        if (names.Any(n => n is null))
        {
            return $"the {type} of '{template}' has named parameters ({expected}): give each parameter its parameter_name";
        }
        if (names.FirstOrDefault(n => !placeholders.Contains(n!, StringComparer.Ordinal)) is { } unknown)
        {
            return $"the {type} of '{template}' has no parameter '{unknown}' (it has {expected})";
        }
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return $"the {type} of '{template}' got parameter '{twice.Key}' more than once";
        }
        if (placeholders.FirstOrDefault(p => !names.Contains(p, StringComparer.Ordinal)) is { } missing)
        {
            return $"the {type} of '{template}' misses parameter '{missing}' (it has {expected})";
        }
        return null;
    }
}
