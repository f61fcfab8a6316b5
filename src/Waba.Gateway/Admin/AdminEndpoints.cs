using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Waba.Gateway.Conversations;
using Waba.Gateway.Messaging;
using Waba.Gateway.Meta;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Upstreams;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Admin;

/// <summary>The operator's API under <c>/admin/v1</c>: WABAs, numbers, API keys and the delivery log. Errors are RFC 7807.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AddEndpointFilter<AdminAuthorization>().AddEndpointFilterFactory(AnyNumberId.Factory).WithTags("Admin");
        admin.MapPost("/wabas", CreateWabaAsync).WithSummary("Create a WABA {\"name\"}.").Produces<WabaView>(StatusCodes.Status201Created);
        admin.MapGet("/wabas", ListWabasAsync).WithSummary("The WABAs, paged with limit and cursor.").Produces<WabaPage>();
        admin.MapGet("/wabas/{wabaId}", GetWabaAsync).WithSummary("One WABA.").Produces<WabaView>();
        admin.MapPatch("/wabas/{wabaId}", UpdateWabaAsync).WithSummary("Rename a WABA {\"name\"}.").Produces<WabaView>();
        admin.MapDelete("/wabas/{wabaId}", RemoveWabaAsync).WithSummary("Remove a WABA that has no numbers left (409 otherwise).").Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/wabas/{wabaId}/phone_numbers", CreatePhoneNumberAsync)
            .WithSummary("Add a number to the WABA {phone_number, hosting_type cloud|on_premise, upstream sandbox|meta, access_token and meta ids for meta}.")
            .Produces<PhoneNumberView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/phone_numbers", ListPhoneNumbersAsync).WithSummary("The numbers (?waba_id to filter), paged with limit and cursor.").Produces<PhoneNumberPage>();
        admin.MapGet("/phone_numbers/{id}", GetPhoneNumberAsync)
            .WithSummary("One number (by its id, phone_number_id or phone number) with what WhatsApp last reported about it and its WABA.").Produces<PhoneNumberView>();
        admin.MapPatch("/phone_numbers/{id}", UpdatePhoneNumberAsync)
            .WithSummary("Change a number's upstream, or rotate a meta number's access_token / meta_waba_id.").Produces<PhoneNumberView>();
        admin.MapDelete("/phone_numbers/{id}", RemovePhoneNumberAsync).WithSummary("Remove a number; its API keys stop working at once.").Produces(StatusCodes.Status204NoContent);
        admin.MapPost("/phone_numbers/{id}/api_keys", CreateApiKeyAsync).WithSummary("Issue a D360-API-KEY for the number; the key is in this answer only.").Produces<ApiKeyCreatedView>(StatusCodes.Status201Created);
        admin.MapGet("/phone_numbers/{id}/api_keys", ListApiKeysAsync).WithSummary("The number's API keys: id, prefix, created, revoked (never the keys).").Produces<ApiKeyList>();
        admin.MapDelete("/phone_numbers/{id}/api_keys/{keyId}", RevokeApiKeyAsync).WithSummary("Revoke an API key: the next request with it gets 401.").Produces(StatusCodes.Status204NoContent);
        admin.MapGet("/phone_numbers/{id}/webhook", GetEffectiveWebhookAsync)
            .WithSummary("Where the number's events go: the effective webhook (scope phone_number or waba), its URL, header names and a hint of the secret that signs it; 404 when none.")
            .Produces<EffectiveWebhookView>();
        admin.MapPost("/phone_numbers/{id}/migrate", MigrateAsync)
            .WithSummary("Move the number to the other hosting type {\"hosting_type\"}; its webhook follows the migration rules.").Produces<PhoneNumberView>().ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/phone_numbers/{id}/webhook/test", TestWebhookAsync)
            .WithSummary("Send a sample inbound message to the effective webhook and report the receiver's answer; nothing is stored.").Produces<WebhookTestResult>();
        admin.MapGet("/deliveries", ListDeliveriesAsync)
            .WithSummary("The delivery log, oldest first (order=newest for the latest): ?number_id (any of the number's ids), state (pending|delivered|failed), from, to, user, limit, cursor.").Produces<DeliveryPage>();
        admin.MapGet("/deliveries/{eventId}", GetDeliveryAsync).WithSummary("One event with its payload and every delivery attempt.").Produces<DeliveryView>();
        admin.MapPost("/deliveries/{eventId}/replay", ReplayOneAsync).WithSummary("Deliver one event again, now (409 while it is being attempted).")
            .Produces<ReplayResult>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapPost("/deliveries/replay", ReplayFailedAsync)
            .WithSummary("Deliver again every failed event of a number {number_id (any of its ids), from?, to?}.").Produces<ReplayResult>(StatusCodes.Status202Accepted);
        admin.MapConversations();
        admin.MapDiagnosis();
        admin.MapAdminKeys();
        return admin;
    }

    private static async Task<IResult> CreateWabaAsync(HttpRequest request, TenantRegistry tenants)
    {
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.CreateWabaRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Name))
        {
            return BadRequest("'name' is required.");
        }
        var waba = await tenants.CreateWabaAsync(body.Name.Trim(), request.HttpContext.RequestAborted);
        return Results.Json(ToView(waba), AdminJsonContext.Default.WabaView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListWabasAsync(HttpRequest request, Tenancy.ITenantStore tenantStore)
    {
        if (!TryPage(request, out var limit, out var cursor, out var problem))
        {
            return problem!;
        }
        var wabas = await tenantStore.ListWabasAsync(cursor, limit + 1, request.HttpContext.RequestAborted);
        var page = wabas.Take(limit).Select(ToView).ToList();
        return Results.Json(new WabaPage(page, wabas.Count > limit ? page[^1].Id : null), AdminJsonContext.Default.WabaPage);
    }

    private static async Task<IResult> UpdateWabaAsync(string wabaId, HttpRequest request, Tenancy.ITenantStore tenantStore)
    {
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.UpdateWabaRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Name))
        {
            return BadRequest("'name' is required.");
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        return await tenantStore.RenameWabaAsync(wabaId, body.Name.Trim(), cancellationToken)
            ? Results.Json(ToView((await tenantStore.FindWabaAsync(wabaId, cancellationToken))!), AdminJsonContext.Default.WabaView)
            : NotFound($"No WABA '{wabaId}'.");
    }

    private static async Task<IResult> RemoveWabaAsync(string wabaId, Tenancy.ITenantStore tenantStore, TimeProvider time, CancellationToken cancellationToken) =>
        await tenantStore.RemoveWabaAsync(wabaId, time.GetUtcNow(), cancellationToken) switch
        {
            RemoveOutcome.Removed => Results.NoContent(),
            RemoveOutcome.InUse => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: "The WABA still has phone numbers; remove them first."),
            _ => NotFound($"No WABA '{wabaId}'."),
        };

    private static async Task<IResult> ListPhoneNumbersAsync(HttpRequest request, Tenancy.ITenantStore tenantStore)
    {
        if (!TryPage(request, out var limit, out var cursor, out var problem))
        {
            return problem!;
        }
        var numbers = await tenantStore.ListChannelsAsync(request.Query["waba_id"].FirstOrDefault(), cursor, limit + 1, request.HttpContext.RequestAborted);
        var page = numbers.Take(limit).Select(ToView).ToList();
        return Results.Json(new PhoneNumberPage(page, numbers.Count > limit ? page[^1].Id : null), AdminJsonContext.Default.PhoneNumberPage);
    }

    /// <summary>
    /// Changes a number: <c>{"upstream"}</c>, and for a <c>meta</c> number its credentials — <c>{"access_token"}</c> (a rotated
    /// or renewed token, stored encrypted) and <c>{"meta_waba_id"}</c>.
    /// </summary>
    private static async Task<IResult> UpdatePhoneNumberAsync(string id, HttpRequest request, Tenancy.ITenantStore tenantStore, UpstreamRegistry upstreams,
        Meta.IMetaStore metaStore, Meta.AccessTokenProtector tokens)
    {
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.UpdatePhoneNumberRequest);
        if (problem is not null)
        {
            return problem;
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        if (body!.Upstream is null && body.AccessToken is null && body.MetaWabaId is null)
        {
            return BadRequest("Give 'upstream', or for a meta number 'access_token' and/or 'meta_waba_id'.");
        }
        if (body.Upstream is not null && upstreams.Find(body.Upstream) is null)
        {
            return BadRequest($"'upstream' must be one of: {string.Join(", ", upstreams.Names)}.");
        }
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is not { } channel)
        {
            return NotFound($"No phone number '{id}'.");
        }
        if (body.AccessToken is not null || body.MetaWabaId is not null)
        {
            var existing = await metaStore.FindMetaCredentialsAsync(id, cancellationToken);
            var metaWabaId = body.MetaWabaId ?? existing?.MetaWabaId;
            if (string.IsNullOrWhiteSpace(metaWabaId) || (body.AccessToken is null && existing is null) || body.AccessToken is { Length: 0 })
            {
                return BadRequest("A number's Meta credentials need both 'meta_waba_id' and 'access_token' the first time.");
            }
            if (!tokens.Configured)
            {
                return BadRequest("Meta:TokenEncryptionKey is not configured, so access tokens cannot be kept; see docs/configuration.md.");
            }
            await metaStore.SaveMetaCredentialsAsync(id, metaWabaId, body.AccessToken is { } token ? tokens.Protect(id, token) : existing!.Value.SealedToken,
                cancellationToken);
        }
        if (body.Upstream is not null)
        {
            await tenantStore.SetChannelUpstreamAsync(id, body.Upstream, cancellationToken);
        }
        return Results.Json(ToView((await tenantStore.FindChannelAsync(id, cancellationToken)) ?? channel), AdminJsonContext.Default.PhoneNumberView);
    }

    private static async Task<IResult> RemovePhoneNumberAsync(string id, Tenancy.ITenantStore tenantStore, TimeProvider time, CancellationToken cancellationToken) =>
        await tenantStore.RemoveChannelAsync(id, time.GetUtcNow(), cancellationToken) == RemoveOutcome.Removed
            ? Results.NoContent()
            : NotFound($"No phone number '{id}'.");

    private static async Task<IResult> ListApiKeysAsync(string id, Tenancy.ITenantStore tenantStore, CancellationToken cancellationToken)
    {
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        var keys = await tenantStore.ListApiKeysAsync(id, cancellationToken);
        return Results.Json(new ApiKeyList([.. keys.Select(k => new ApiKeyView(k.Id, k.Prefix, k.CreatedAt, k.RevokedAt, k.RevokedAt is null))]),
            AdminJsonContext.Default.ApiKeyList);
    }

    private static async Task<IResult> RevokeApiKeyAsync(string id, string keyId, Tenancy.ITenantStore tenantStore, TimeProvider time,
        CancellationToken cancellationToken) =>
        await tenantStore.RevokeApiKeyAsync(id, keyId, time.GetUtcNow(), cancellationToken)
            ? Results.NoContent()
            : NotFound($"No live key '{keyId}' on phone number '{id}'.");

    /// <summary>Where this number's events go now, without secrets: header names only.</summary>
    internal static async Task<IResult> GetEffectiveWebhookAsync(string id, Tenancy.ITenantStore tenantStore, Webhooks.IWebhookConfigStore webhooks,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var channel = await tenantStore.FindChannelAsync(id, cancellationToken);
        if (channel is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        var own = await webhooks.FindWebhookAsync(Webhooks.WebhookScope.PhoneNumber, id, cancellationToken);
        var (scope, webhook) = own is not null
            ? ("phone_number", own)
            : ("waba", channel.HostingType == HostingType.Cloud ? await webhooks.FindWebhookAsync(Webhooks.WebhookScope.Waba, channel.WabaId, cancellationToken) : null);
        return webhook is null
            ? NotFound("No webhook is configured for this number.")
            : Results.Json(new EffectiveWebhookView(scope, webhook.Url, [.. webhook.Headers.Keys], webhook.UpdatedAt,
                webhook.SecretsAt(time.GetUtcNow()).Count > 1, webhook.Secret.Length == 0 ? null : Webhooks.Signing.WebhookSignatures.Hint(webhook.Secret),
                scope == "waba" ? "POST /waba_webhook" : "POST /v1/configs/webhook"), AdminJsonContext.Default.EffectiveWebhookView);
    }

    private static bool TryPage(HttpRequest request, out int limit, out string? cursor, out IResult? problem)
    {
        limit = 50;
        cursor = request.Query["cursor"].FirstOrDefault();
        problem = null;
        if (request.Query.TryGetValue("limit", out var text) && (!int.TryParse(text, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            problem = BadRequest("'limit' must be between 1 and 500.");
            return false;
        }
        return true;
    }

    private static async Task<IResult> GetWabaAsync(string wabaId, Tenancy.ITenantStore tenantStore, CancellationToken cancellationToken) =>
        await tenantStore.FindWabaAsync(wabaId, cancellationToken) is { } waba
            ? Results.Json(ToView(waba), AdminJsonContext.Default.WabaView)
            : NotFound($"No WABA '{wabaId}'.");

    private static async Task<IResult> CreatePhoneNumberAsync(string wabaId, HttpRequest request, Tenancy.ITenantStore tenantStore,
        Meta.IMetaStore metaStore, TenantRegistry tenants, UpstreamRegistry upstreams,
        Meta.AccessTokenProtector tokens)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.CreatePhoneNumberRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (await tenantStore.FindWabaAsync(wabaId, cancellationToken) is null)
        {
            return NotFound($"No WABA '{wabaId}'.");
        }
        if (body!.PhoneNumber is null || !OutboundMessageReader.TryGetWaId(body.PhoneNumber, out var phoneNumber))
        {
            return BadRequest("'phone_number' must be a phone number in international format, for example 4915100000001.");
        }
        if (!HostingTypes.TryParse(body.HostingType, out var hosting))
        {
            return BadRequest($"'hosting_type' must be '{HostingTypes.Cloud}' or '{HostingTypes.OnPremise}'.");
        }
        var upstream = body.Upstream ?? "sandbox";
        if (upstreams.Find(upstream) is null)
        {
            return BadRequest($"'upstream' must be one of: {string.Join(", ", upstreams.Names)} (this instance offers no '{upstream}').");
        }
        var meta = upstream == Meta.MetaUpstream.UpstreamName;
        if (meta && (string.IsNullOrWhiteSpace(body.MetaPhoneNumberId) || string.IsNullOrWhiteSpace(body.MetaWabaId) || string.IsNullOrWhiteSpace(body.AccessToken)))
        {
            return BadRequest("A 'meta' number needs 'meta_phone_number_id', 'meta_waba_id' and 'access_token'.");
        }
        if (meta && !tokens.Configured)
        {
            return BadRequest("Meta:TokenEncryptionKey is not configured, so access tokens cannot be kept; see docs/configuration.md.");
        }
        try
        {
            var channel = await tenants.CreateChannelAsync(wabaId, phoneNumber, hosting, upstream, cancellationToken, meta ? body.MetaPhoneNumberId : null);
            if (meta)
            {
                await metaStore.SaveMetaCredentialsAsync(channel.Id, body.MetaWabaId!, tokens.Protect(channel.Id, body.AccessToken!), cancellationToken);
            }
            return Results.Json(ToView(channel), AdminJsonContext.Default.PhoneNumberView, statusCode: StatusCodes.Status201Created);
        }
        catch (DuplicateEntryException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message);
        }
    }

    private static async Task<IResult> GetPhoneNumberAsync(string id, Tenancy.ITenantStore tenantStore, Numbers.IAccountStateStore states,
        CancellationToken cancellationToken)
    {
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is not { } channel)
        {
            return NotFound($"No phone number '{id}'.");
        }
        var number = await states.FindAsync(Numbers.AccountStateScopes.Number, channel.Id, cancellationToken);
        var waba = await states.FindAsync(Numbers.AccountStateScopes.Waba, channel.WabaId, cancellationToken);
        return Results.Json(ToView(channel) with { State = new AccountStateView(StateOf(number), StateOf(waba)) }, AdminJsonContext.Default.PhoneNumberView);
    }

    private static JsonElement? StateOf(Numbers.AccountState? state)
    {
        if (state is null)
        {
            return null;
        }
        var body = state.Body.DeepClone().AsObject();
        body["updated_at"] = state.UpdatedAt.ToString("O", CultureInfo.InvariantCulture);
        return JsonSerializer.SerializeToElement(body, AdminJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> CreateApiKeyAsync(string id, Tenancy.ITenantStore tenantStore, TenantRegistry tenants, CancellationToken cancellationToken)
    {
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        var key = await tenants.IssueApiKeyAsync(id, cancellationToken);
        return Results.Json(new ApiKeyCreatedView(key.Id, key.Secret, id), AdminJsonContext.Default.ApiKeyCreatedView,
            statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// <c>GET /admin/v1/deliveries?number_id=&amp;state=pending|delivered|failed&amp;from=&amp;to=&amp;order=oldest|newest&amp;limit=&amp;cursor=</c>;
    /// times are ISO 8601. Pages follow <c>next_cursor</c>.
    /// </summary>
    private static async Task<IResult> ListDeliveriesAsync(HttpRequest request, IWebhookOutbox outbox, Tenancy.ITenantStore tenantStore)
    {
        var named = request.Query["number_id"].FirstOrDefault();
        if (string.IsNullOrEmpty(named))
        {
            return await QueryDeliveriesAsync(request, outbox, null);
        }
        return await tenantStore.FindChannelByAnyIdAsync(named, request.HttpContext.RequestAborted) is { } channel
            ? await QueryDeliveriesAsync(request, outbox, channel.Id)
            : UnknownNumber(named);
    }

    private static IResult UnknownNumber(string named) =>
        NotFound($"No phone number '{named}': name it by phone number, phone_number_id or id (GET /admin/v1/phone_numbers lists them).");

    /// <summary>The delivery log filtered by the query string (all but <c>number_id</c>, which the caller gives).</summary>
    internal static async Task<IResult> QueryDeliveriesAsync(HttpRequest request, IWebhookOutbox outbox, string? numberId)
    {
        var q = request.Query;
        DeliveryState? state = null;
        if (q.TryGetValue("state", out var stateText))
        {
            if (!Enum.TryParse<DeliveryState>(stateText, ignoreCase: true, out var parsed) || int.TryParse(stateText, out _))
            {
                return BadRequest("'state' must be pending, delivered or failed.");
            }
            state = parsed;
        }
        if (!TryParseTime(q["from"], out var from) || !TryParseTime(q["to"], out var to))
        {
            return BadRequest("'from' and 'to' must be ISO 8601 times, for example 2026-11-25T10:00:00Z.");
        }
        var limit = 50;
        if (q.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            return BadRequest("'limit' must be between 1 and 500.");
        }
        var user = q["user"].FirstOrDefault();
        if (user is not null && !Sandbox.UserDirectory.UserIdFormat().IsMatch(user) && !(user.Length is >= 6 and <= 15 && user.All(char.IsAsciiDigit)))
        {
            return BadRequest("'user' must be a phone number (digits) or a business-scoped user id such as US.13491208655302741918.");
        }
        var order = q["order"].FirstOrDefault() ?? "oldest";
        if (order is not ("oldest" or "newest"))
        {
            return BadRequest("'order' must be oldest (the default) or newest.");
        }
        var records = await outbox.ListDeliveriesAsync(
            new DeliveryQuery(numberId, state, null, from, to, limit + 1, q["cursor"].FirstOrDefault(), user, order == "newest"),
            request.HttpContext.RequestAborted);
        var page = records.Take(limit).Select(ToView).ToList();
        return Results.Json(new DeliveryPage(page, records.Count > limit ? page[^1].EventId : null), AdminJsonContext.Default.DeliveryPage);
    }

    private static async Task<IResult> GetDeliveryAsync(string eventId, IWebhookOutbox outbox, CancellationToken cancellationToken)
    {
        var records = await outbox.ListDeliveriesAsync(new DeliveryQuery(null, null, eventId, null, null, 1, null), cancellationToken);
        return records.Count == 1
            ? Results.Json(ToView(records[0]), AdminJsonContext.Default.DeliveryView)
            : NotFound($"No event '{eventId}'.");
    }

    /// <summary>Moves an On-Premise number to Cloud (<c>{"hosting_type": "cloud"}</c>); see 360dialog's migration rule.</summary>
    private static async Task<IResult> MigrateAsync(string id, HttpRequest request, Tenancy.ITenantStore tenantStore, TimeProvider time)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.MigrateRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.HostingType != HostingTypes.Cloud)
        {
            return BadRequest("'hosting_type' must be 'cloud': numbers move from On-Premise to Cloud only.");
        }
        var channel = await tenantStore.FindChannelAsync(id, cancellationToken);
        if (channel is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        if (channel.HostingType == HostingType.Cloud)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: "The number is already on the Cloud API.");
        }
        var migrated = await tenantStore.MigrateToCloudAsync(id, time.GetUtcNow(), cancellationToken);
        return Results.Json(ToView(migrated!), AdminJsonContext.Default.PhoneNumberView);
    }

    /// <summary>Sends a sample inbound message to the number's current webhook and reports the receiver's answer. Nothing is stored.</summary>
    internal static async Task<IResult> TestWebhookAsync(string id, Tenancy.ITenantStore tenantStore, Webhooks.IWebhookConfigStore webhooks,
        WebhookSender sender, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<Webhooks.WebhooksOptions> options, CancellationToken cancellationToken)
    {
        var channel = await tenantStore.FindChannelAsync(id, cancellationToken);
        if (channel is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        var webhook = await webhooks.FindWebhookAsync(Webhooks.WebhookScope.PhoneNumber, id, cancellationToken)
            ?? (channel.HostingType == HostingType.Cloud ? await webhooks.FindWebhookAsync(Webhooks.WebhookScope.Waba, channel.WabaId, cancellationToken) : null);
        if (webhook is null)
        {
            return NotFound("No webhook is configured for this number.");
        }
        var now = time.GetUtcNow();
        var sample = Webhooks.Payloads.WebhookEvents.ForInboundMessage(channel, "Waba Gateway test", new Webhooks.Payloads.InboundMessagePayload
        {
            From = "15550000000",
            Id = Identifiers.NewMessageId(),
            Timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Type = "text",
            Content = new() { ["text"] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["body"] = "Test event from Waba Gateway" }, AdminJsonContext.Default.DictionaryStringString) },
        }, now);
        var result = await sender.PostAsync(sample.Id, sample.Payload, sample.Shape,
            new WebhookTarget(webhook.Url, webhook.Headers, webhook.SecretsAt(now)), cancellationToken);
        return Results.Json(new WebhookTestResult(webhook.Url, sample.Id, result.StatusCode, Math.Round(result.Latency.TotalMilliseconds, 2),
            result.Succeeded, result.Latency > Configuration.Durations.Parse(options.Value.SlowAttemptThreshold, "Webhooks:SlowAttemptThreshold"), result.Error, result.ResponseExcerpt), AdminJsonContext.Default.WebhookTestResult);
    }

    internal static async Task<IResult> ReplayOneAsync(string eventId, IWebhookOutbox outbox, DeliverySignal signal, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var replayed = await outbox.ReplayAsync(new ReplaySelection(eventId, null, null, null), time.GetUtcNow(), cancellationToken);
        if (replayed == 0)
        {
            var exists = (await outbox.ListDeliveriesAsync(new DeliveryQuery(null, null, eventId, null, null, 1, null), cancellationToken)).Count > 0;
            return exists
                ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: "The event is being attempted right now.")
                : NotFound($"No event '{eventId}'.");
        }
        signal.Notify();
        return Results.Json(new ReplayResult(replayed), AdminJsonContext.Default.ReplayResult, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Replays every failed event of a number, optionally within <c>from</c> ≤ occurred_at &lt; <c>to</c>.</summary>
    private static async Task<IResult> ReplayFailedAsync(HttpRequest request, IWebhookOutbox outbox, DeliverySignal signal, TimeProvider time,
        Tenancy.ITenantStore tenantStore)
    {
        var (body, problem) = await ReadAsync(request, AdminJsonContext.Default.ReplayRequest);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrEmpty(body!.NumberId))
        {
            return BadRequest("'number_id' is required.");
        }
        if (await tenantStore.FindChannelByAnyIdAsync(body.NumberId, request.HttpContext.RequestAborted) is not { } channel)
        {
            return UnknownNumber(body.NumberId);
        }
        var replayed = await outbox.ReplayAsync(new ReplaySelection(null, channel.Id, body.From, body.To), time.GetUtcNow(), request.HttpContext.RequestAborted);
        signal.Notify();
        return Results.Json(new ReplayResult(replayed), AdminJsonContext.Default.ReplayResult, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted);
            return body is null ? (null, BadRequest("The request body must be a JSON object.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest(Dialects.JsonErrors.Describe(e)));
        }
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    private static WabaView ToView(BusinessAccount waba) => new(waba.Id, waba.Name, waba.CreatedAt);

    private static PhoneNumberView ToView(Channel c) =>
        new(c.Id, c.PhoneNumberId, c.WabaId, c.PhoneNumber, c.HostingType.ToWire(), c.Upstream, c.CreatedAt, c.Registered);

    private static DeliveryView ToView(DeliveryRecord r)
    {
        using var payload = JsonDocument.Parse(r.Payload);
        return new DeliveryView(r.EventId, r.ChannelId, r.Kind, r.MessageId, r.State.ToString().ToLowerInvariant(), r.OccurredAt,
            r.NextAttemptAt, r.DeliveredAt,
            [.. r.Attempts.Select(a => new AttemptView(a.Number, a.StartedAt, a.Url, a.StatusCode, Math.Round(a.Latency.TotalMilliseconds, 2),
                a.Succeeded, a.Slow, a.Error, a.ResponseExcerpt))],
            payload.RootElement.Clone());
    }
}
