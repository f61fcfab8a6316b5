using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Waba.Gateway.Admin;
using Waba.Gateway.Configuration;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Sandbox.Page;

/// <summary>
/// The sandbox page at <c>/sandbox</c> (static files embedded in the gateway, nothing loaded from elsewhere) and the
/// API behind it under <c>/sandbox/v1/numbers</c>: sandbox numbers only, their chats as the users' phones show them,
/// answering as a user, the simulated behaviour, the delivery log, and a stream of changes (server-sent events).
/// </summary>
public static class SandboxPageEndpoints
{
    private const string Tag = "Sandbox page";

    public static WebApplication MapSandboxPage(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(SandboxPageEndpoints).Assembly, "Sandbox/Page/Assets");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = "/sandbox/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/sandbox", (HttpContext http) => Page(http, files)).WithTags(Tag)
            .WithSummary("The sandbox page (HTML): the simulated users' phones, answering as them, the delivery log.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        app.MapGet("/sandbox/v1/access", async (SandboxPageAccess access, CancellationToken cancellationToken) => Results.Json(
                new PageAccessView(access.TokenRequired, await access.TokenConfiguredAsync(cancellationToken)), SandboxPageJsonContext.Default.PageAccessView))
            .WithTags(Tag).WithSummary("Whether the sandbox page needs the admin token (it does when the gateway listens beyond loopback).");

        app.MapGet("/sandbox/v1/numbers", ListNumbersAsync).AddEndpointFilter<SandboxPageAccess>().WithTags(Tag)
            .WithSummary("The sandbox numbers; with the admin token also the real (meta) numbers, shown read-only.");
        var number = app.MapGroup("/sandbox/v1/numbers/{numberId}").AddEndpointFilter<SandboxPageAccess>().AddEndpointFilter<SandboxNumberFilter>().WithTags(Tag);
        number.MapGet("/chats", ListChatsAsync).WithSummary("The number's chats with simulated users, latest activity first.");
        number.MapGet("/chats/{user}", GetChatAsync)
            .WithSummary("A chat as the user's phone shows it: every message with its content, reply, latest status (and error), templates filled in.");
        number.MapPatch("/chats/{user}", SetBehaviourAsync).AddEndpointFilter<SimulationOnlyFilter>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The user's simulated behaviour: {\"not_on_whatsapp\", \"never_reads\"} (sandbox numbers).");
        number.MapPost("/chats/{user}/messages", WriteAsUserAsync).AddEndpointFilter<SimulationOnlyFilter>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The user writes (the body of POST /sandbox/v1/inbound without 'from') → 202 with the message id; the webhook follows (sandbox numbers).");
        number.MapPost("/chats/{user}/rewind", RewindAsync).AddEndpointFilter<SimulationOnlyFilter>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Moves the chat's messages back {\"hours\": 25} (default 25), so the 24-hour customer-service window closes (sandbox numbers).");
        number.MapGet("/health", HealthAsync)
            .WithSummary("The number's health: what WhatsApp last reported (quality, tier, restrictions); with ?check=true also waba doctor's checks (meta numbers).");
        number.MapGet("/changes", StreamChangesAsync)
            .WithSummary("Server-sent events: 'chat' with {\"wa_id\"} whenever a message or status of that chat becomes due.");
        number.MapGet("/media/{mediaId}", (string mediaId, HttpContext http, Media.IMediaStore mediaStore, Media.MediaFiles files, Meta.MetaGraph meta) =>
            Media.MediaEndpoints.DownloadAsync(mediaId, http, mediaStore, files, meta)).WithSummary("A media file of the number, for previews.");
        number.MapGet("/webhook", EffectiveWebhookAsync).WithSummary("Where the number's events go (scope, URL, header names); 204 when no webhook is configured.");
        number.MapPost("/webhook/test", (HttpContext http, Tenancy.ITenantStore tenantStore, Webhooks.IWebhookConfigStore webhooks, WebhookSender sender, TimeProvider time,
                IOptions<Webhooks.WebhooksOptions> options) => AdminEndpoints.TestWebhookAsync(http.Channel().Id, tenantStore, webhooks, sender, time, options, http.RequestAborted))
            .WithSummary("Sends a sample inbound message to the webhook and reports the receiver's answer; nothing is stored.");
        number.MapGet("/deliveries", (HttpContext http, IWebhookOutbox outbox) => AdminEndpoints.QueryDeliveriesAsync(http.Request, outbox, http.Channel().Id))
            .WithSummary("The number's delivery log, as GET /admin/v1/deliveries (state, from, to, user, limit, cursor).");
        number.MapPost("/deliveries/{eventId}/replay", ReplayAsync).WithSummary("Delivers one of the number's events again → 202.");
        number.MapPost("/templates/end_review", EndTemplateReviewsAsync).AddEndpointFilter<SimulationOnlyFilter>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Ends the WABA's template reviews now: each template is approved (or rejected) and its status webhook is due.");
        return app;
    }

    private static IResult Page(HttpContext http, ManifestEmbeddedFileProvider files)
    {
        http.Response.Headers.CacheControl = "no-cache";
        // Everything the page uses comes from the gateway: link media stays a link, never fetched from elsewhere.
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(files.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> ListNumbersAsync(HttpRequest request, Tenancy.ITenantStore tenantStore, SandboxPageAccess access)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var channels = await tenantStore.ListChannelsAsync(null, null, 500, cancellationToken);
        var admitted = await access.AdminAdmitsAsync(request);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var views = new List<SandboxNumberView>();
        foreach (var channel in channels.Where(c => admitted || c.Upstream == SandboxUpstream.UpstreamName))
        {
            if (!names.TryGetValue(channel.WabaId, out var name))
            {
                name = names[channel.WabaId] = (await tenantStore.FindWabaAsync(channel.WabaId, cancellationToken))?.Name ?? channel.WabaId;
            }
            views.Add(new SandboxNumberView(channel.Id, channel.PhoneNumber, channel.HostingType.ToWire(), channel.WabaId, name, channel.Upstream));
        }
        var hidden = admitted ? 0 : channels.Count(c => c.Upstream != SandboxUpstream.UpstreamName);
        return Results.Json(new SandboxNumberList(views, hidden), SandboxPageJsonContext.Default.SandboxNumberList);
    }

    /// <summary>What WhatsApp last reported about the number and its WABA; with <c>?check=true</c>, <c>waba doctor</c>'s checks too.</summary>
    private static async Task<IResult> HealthAsync(HttpContext http, Numbers.IAccountStateStore states, Meta.MetaDiagnosis diagnosis)
    {
        var channel = http.Channel();
        var number = await states.FindAsync(Numbers.AccountStateScopes.Number, channel.Id, http.RequestAborted);
        var waba = await states.FindAsync(Numbers.AccountStateScopes.Waba, channel.WabaId, http.RequestAborted);
        var checks = http.Request.Query["check"] == "true" ? (await diagnosis.DiagnoseAsync(channel, http.RequestAborted)).Checks : null;
        return Results.Json(new NumberHealthView(channel.Upstream, channel.Registered, number?.Body, waba?.Body, checks), SandboxPageJsonContext.Default.NumberHealthView);
    }

    private static async Task<IResult> ListChatsAsync(HttpContext http, Conversations.IConversationStore conversations, UserDirectory directory)
    {
        var channel = http.Channel();
        var chats = await conversations.ListConversationsAsync(channel.Id, null, 200, http.RequestAborted);
        var views = new List<ChatSummaryView>(chats.Count);
        foreach (var chat in chats)
        {
            // A real number's users are WhatsApp's, known only by what their messages said.
            if (channel.Upstream != SandboxUpstream.UpstreamName)
            {
                views.Add(new ChatSummaryView(chat.WaId, chat.UserId, null, chat.LastAt, chat.Messages));
                continue;
            }
            var user = await directory.LookupAsync(channel.WabaId, chat.WaId, http.RequestAborted);
            views.Add(new ChatSummaryView(chat.WaId, user.UserId, user.Username, chat.LastAt, chat.Messages));
        }
        return Results.Json(new ChatList(views), SandboxPageJsonContext.Default.ChatList);
    }

    private static async Task<IResult> GetChatAsync(string user, HttpContext http, Tenancy.ITenantStore tenantStore,
        Messaging.IMessageStore messageStore, Templates.ITemplateStore templateStore, Conversations.IConversationStore conversations, Profiles.IBusinessProfileStore profiles,
        UserDirectory directory, SimulatedUsers simulated, IOptions<SandboxOptions> options, TimeProvider time)
    {
        var channel = http.Channel();
        var cancellationToken = http.RequestAborted;
        // Who the chat is with: a simulated user (ids, username, simulated behaviour), or a real user known only by their messages.
        string waId;
        string? userId, username = null;
        bool notOnWhatsApp = false, neverReads = false;
        IReadOnlyList<StoredMessage> messages;
        var real = channel.Upstream != SandboxUpstream.UpstreamName;
        if (!real)
        {
            if (await FindUserAsync(channel, user, directory, cancellationToken) is not { } known)
            {
                return UnknownUser(user);
            }
            (waId, userId, username) = (known.WaId, known.UserId, known.Username);
            notOnWhatsApp = known.NotOnWhatsApp || !simulated.IsOnWhatsApp(known.WaId);
            neverReads = known.NeverReads || !simulated.Reads(known.WaId);
            messages = await messageStore.ListConversationAsync(channel.Id, known.WaId, 200, cancellationToken);
        }
        else
        {
            // A real number's chat is what its conversation holds, under the phone number or the BSUID the user shows.
            var key = UserDirectory.UserIdFormat().IsMatch(user) ? user : OutboundMessageReader.TryGetWaId(user, out var digits) ? digits : null;
            messages = key is null ? [] : [.. (await conversations.ListMessagesAsync(channel.Id, key, null, 200, cancellationToken)).Reverse()];
            if (messages.Count == 0)
            {
                return UnknownUser(user);
            }
            waId = messages[0].CounterpartWaId;
            userId = messages.Select(m => m.UserId).FirstOrDefault(u => u is not null);
        }
        var now = time.GetUtcNow();
        var outbound = messages.Where(m => m.Direction == MessageDirection.Outbound).Select(m => m.Id).ToList();
        var statuses = messages.Count == 0
            ? []
            : await conversations.ListStatusesAsync(channel.Id, outbound, messages.Min(m => m.CreatedAt) - TimeSpan.FromMinutes(1), now, cancellationToken);
        var latest = Conversations.MessageStatuses.Latest(statuses);
        var templates = new Dictionary<(string, string), Templates.MessageTemplate?>();
        var views = new List<ChatMessageView>(messages.Count);
        string? name = null;
        foreach (var message in messages)
        {
            using var body = JsonDocument.Parse(message.Body);
            var root = body.RootElement;
            var content = root.TryGetProperty(message.Type, out var value) ? value.Clone() : default;
            RenderedTemplate? rendered = null;
            if (message.Type == "template" && content.ValueKind == JsonValueKind.Object)
            {
                var key = (PhoneView.Str(content, "name"), content.TryGetProperty("language", out var language) ? PhoneView.Str(language, "code") : "");
                if (!templates.TryGetValue(key, out var template))
                {
                    template = templates[key] = await templateStore.FindTemplateAsync(channel.WabaId, key.Item1, key.Item2, cancellationToken);
                }
                rendered = template is null ? null : PhoneView.RenderTemplate(content, template);
            }
            if (message.Direction == MessageDirection.Inbound && PhoneView.Str(root, "name") is { Length: > 0 } given && given != waId)
            {
                name = given;
            }
            var replyTo = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                ? PhoneView.Str(context, "message_id") is { Length: > 0 } id ? id : PhoneView.Str(context, "id")
                : null;
            latest.TryGetValue(message.Id, out var status);
            views.Add(new ChatMessageView(message.Id, message.Direction == MessageDirection.Inbound ? "inbound" : "outbound", message.Type,
                message.CreatedAt, content, string.IsNullOrEmpty(replyTo) ? null : replyTo,
                message.Direction == MessageDirection.Outbound ? status?.Status ?? "accepted" : null,
                status?.Status == "failed" && Conversations.MessageStatuses.ErrorOf(status.Payload) is { } error ? new StatusErrorView(error.Code, error.Title, error.Details) : null,
                rendered));
        }
        var lastInbound = await messageStore.LastInboundAsync(channel.Id, waId, cancellationToken);
        var business = await ChatBusiness.OfAsync(channel, tenantStore, profiles, cancellationToken);
        return Results.Json(new ChatView(waId, userId, username, name, notOnWhatsApp, neverReads,
            lastInbound, WindowOpen(options.Value, lastInbound, now), business, views, real), SandboxPageJsonContext.Default.ChatView);
    }

    private static async Task<IResult> SetBehaviourAsync(string user, HttpContext http, UserDirectory directory)
    {
        var channel = http.Channel();
        if (await FindUserAsync(channel, user, directory, http.RequestAborted) is not { } known)
        {
            return UnknownUser(user);
        }
        ChatBehaviourRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, SandboxPageJsonContext.Default.ChatBehaviourRequest, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return BadRequest(Dialects.JsonErrors.Describe(e));
        }
        if (request is null || request.NotOnWhatsApp is null && request.NeverReads is null)
        {
            return BadRequest("Give 'not_on_whatsapp' and/or 'never_reads' (true or false).");
        }
        await directory.SaveAsync(known with
        {
            NotOnWhatsApp = request.NotOnWhatsApp ?? known.NotOnWhatsApp,
            NeverReads = request.NeverReads ?? known.NeverReads,
        }, http.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> WriteAsUserAsync(string user, HttpContext http, UserDirectory directory, SimulatedInbound inbound)
    {
        var channel = http.Channel();
        if (await FindUserAsync(channel, user, directory, http.RequestAborted) is not { } known)
        {
            return UnknownUser(user);
        }
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, channel.HostingType);
        if (invalid is not null)
        {
            return invalid;
        }
        JsonObject body;
        using (document)
        {
            if (document!.RootElement.ValueKind != JsonValueKind.Object)
            {
                return BadRequest("The request body must be a JSON object.");
            }
            body = JsonObject.Create(document.RootElement.Clone())!;
        }
        body["from"] = known.WaId;
        using var message = JsonDocument.Parse(body.ToJsonString());
        return await inbound.ReceiveAsync(channel, message.RootElement, http.RequestAborted);
    }

    private static async Task<IResult> RewindAsync(string user, HttpContext http, Messaging.IMessageStore messageStore, ISandboxPageStore pages,
        UserDirectory directory,
        IOptions<SandboxOptions> options, TimeProvider time)
    {
        var channel = http.Channel();
        if (await FindUserAsync(channel, user, directory, http.RequestAborted) is not { } known)
        {
            return UnknownUser(user);
        }
        RewindRequest? request = null;
        if (http.Request.ContentLength is not 0)
        {
            try
            {
                request = await JsonSerializer.DeserializeAsync(http.Request.Body, SandboxPageJsonContext.Default.RewindRequest, http.RequestAborted);
            }
            catch (JsonException e)
            {
                return BadRequest(Dialects.JsonErrors.Describe(e));
            }
        }
        var hours = request?.Hours ?? 25;
        if (hours is <= 0 or > 24 * 30 || double.IsNaN(hours))
        {
            return BadRequest("'hours' must be more than 0 and at most 720.");
        }
        var moved = await pages.RewindChatAsync(channel.Id, known.WaId, TimeSpan.FromHours(hours), http.RequestAborted);
        var lastInbound = await messageStore.LastInboundAsync(channel.Id, known.WaId, http.RequestAborted);
        return Results.Json(new RewindResult(moved, lastInbound, WindowOpen(options.Value, lastInbound, time.GetUtcNow())),
            SandboxPageJsonContext.Default.RewindResult);
    }

    private static async Task<IResult> EffectiveWebhookAsync(HttpContext http, Tenancy.ITenantStore tenantStore,
        Webhooks.IWebhookConfigStore webhooks, TimeProvider time)
    {
        var result = await AdminEndpoints.GetEffectiveWebhookAsync(http.Channel().Id, tenantStore, webhooks, time, http.RequestAborted);
        // No webhook yet is a state the page shows, not an error.
        return result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound } ? Results.NoContent() : result;
    }

    private static async Task<IResult> ReplayAsync(string eventId, HttpContext http, IWebhookOutbox outbox, DeliverySignal signal, TimeProvider time)
    {
        var channel = http.Channel();
        var ofNumber = await outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, eventId, null, null, 1, null), http.RequestAborted);
        return ofNumber.Count == 0
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The number has no event '{eventId}'.")
            : await AdminEndpoints.ReplayOneAsync(eventId, outbox, signal, time, http.RequestAborted);
    }

    private static async Task<IResult> EndTemplateReviewsAsync(HttpContext http, ISandboxPageStore pages, DeliverySignal signal, TimeProvider time)
    {
        var ended = await pages.EndTemplateReviewsAsync(http.Channel().WabaId, time.GetUtcNow(), http.RequestAborted);
        signal.Notify();
        return Results.Json(new TemplateReviewsEnded(ended), SandboxPageJsonContext.Default.TemplateReviewsEnded);
    }

    /// <summary>
    /// Polls the number's events that became due (a message arriving, a status reaching its time) and names each chat
    /// that changed; the page then reloads that chat. The query overlaps the last one, so an event committed a little
    /// after its time is still seen; each is reported once.
    /// </summary>
    private static async Task StreamChangesAsync(HttpContext http, ISandboxPageStore pages, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        var channel = http.Channel();
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;
        var overlap = TimeSpan.FromSeconds(10);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var tick = 0L;
        try
        {
            await http.Response.WriteAsync("retry: 2000\n: connected\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                tick++;
                var now = time.GetUtcNow();
                var changed = new HashSet<string>(StringComparer.Ordinal);
                foreach (var change in await pages.ListChangesAsync(channel.Id, now - overlap, now, cancellationToken))
                {
                    if (seen.TryAdd(change.EventId, tick))
                    {
                        changed.Add(change.WaId);
                    }
                }
                foreach (var waId in changed)
                {
                    await http.Response.WriteAsync(
                        $"event: chat\ndata: {JsonSerializer.Serialize(new ChatChangeEvent(waId), SandboxPageJsonContext.Default.ChatChangeEvent)}\n\n", cancellationToken);
                }
                if (changed.Count == 0 && tick % 60 == 0)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                }
                await http.Response.Body.FlushAsync(cancellationToken);
                // Ids older than the overlap cannot come back: forget them (4 ticks a second, 10 s of overlap).
                foreach (var old in seen.Where(s => s.Value < tick - 80).Select(s => s.Key).ToList())
                {
                    seen.Remove(old);
                }
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away or the gateway is stopping.
        }
    }

    private static bool WindowOpen(SandboxOptions options, DateTimeOffset? lastInbound, DateTimeOffset now) =>
        !options.EnforceCustomerServiceWindow
        || lastInbound is { } last && now - last < Durations.Parse(options.CustomerServiceWindow, "Sandbox:CustomerServiceWindow");

    /// <summary>The user by phone number (anyone may be written to) or by a BSUID this gateway gave out.</summary>
    private static async Task<SandboxUser?> FindUserAsync(Channel channel, string user, UserDirectory directory, CancellationToken cancellationToken)
    {
        if (UserDirectory.UserIdFormat().IsMatch(user))
        {
            return await directory.ResolveAsync(channel.WabaId, user, cancellationToken);
        }
        return OutboundMessageReader.TryGetWaId(user, out var waId) ? await directory.LookupAsync(channel.WabaId, waId, cancellationToken) : null;
    }

    private static IResult UnknownUser(string user) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"'{user}' is neither a phone number in international format nor a user id of this WABA.");

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
}

/// <summary>
/// Admits numbers that exist: sandbox numbers always, real (<c>meta</c>) numbers only to a request bearing the admin token
/// (their chats are real people's). Sets the number on the request.
/// </summary>
internal sealed class SandboxNumberFilter(Tenancy.ITenantStore tenantStore, SandboxPageAccess access) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var id = http.GetRouteValue("numberId") as string;
        var channel = id is null ? null : await tenantStore.FindChannelAsync(id, http.RequestAborted);
        if (channel is null || channel.Upstream != SandboxUpstream.UpstreamName && !await access.AdminAdmitsAsync(http.Request))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: channel is null ? $"No number '{id}'." : $"'{id}' is a real number: send the admin token to see it.");
        }
        http.Items[typeof(Channel)] = channel;
        return await next(context);
    }
}

/// <summary>What only a sandbox number has (simulated users writing, simulated time): a real number answers 409.</summary>
internal sealed class SimulationOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Channel().Upstream == SandboxUpstream.UpstreamName
            ? await next(context)
            : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: "A real number: its users write from their own phones, and its time is real. The page shows it read-only.");
}
