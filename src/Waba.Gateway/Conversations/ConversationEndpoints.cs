using System.Globalization;
using System.Text.Json;
using Waba.Gateway.Messaging;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Conversations;

/// <summary>
/// The history of every number, whichever its upstream: <c>GET /admin/v1/phone_numbers/{id}/conversations</c> (the users
/// it talks with, latest activity first) and <c>.../conversations/{phone or BSUID}</c> (their messages, newest first, with
/// direction, body, latest status and error). Both page with <c>limit</c> and <c>cursor</c> ← <c>next_cursor</c>.
/// </summary>
public static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversations(this RouteGroupBuilder admin)
    {
        admin.MapGet("/phone_numbers/{id}/conversations", ListConversationsAsync)
            .WithSummary("The number's conversations (phone number or BSUID, BSUID, latest message, count), latest activity first, paged.")
            .Produces<ConversationPage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/phone_numbers/{id}/conversations/{user}", ListMessagesAsync)
            .WithSummary("One conversation's messages (user by phone number or BSUID), newest first, with direction, body, latest status and error, paged.")
            .Produces<ConversationMessagesPage>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<IResult> ListConversationsAsync(string id, HttpRequest request, ITenantStore tenantStore, IConversationStore conversations)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is null)
        {
            return NotFound($"No phone number '{id}'.");
        }
        if (Page(request, out var limit, out var after) is { } problem)
        {
            return problem;
        }
        var rows = await conversations.ListConversationsAsync(id, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        return Results.Json(new ConversationPage([.. page.Select(c => new ConversationView(c.WaId, c.UserId, c.LastAt, c.Messages))],
            rows.Count > limit ? Cursor(page[^1].LastAt, page[^1].WaId) : null), ConversationJsonContext.Default.ConversationPage);
    }

    private static async Task<IResult> ListMessagesAsync(string id, string user, HttpRequest request, ITenantStore tenantStore,
        IConversationStore conversations, Sandbox.UserDirectory directory, TimeProvider time)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await tenantStore.FindChannelAsync(id, cancellationToken) is not { } channel)
        {
            return NotFound($"No phone number '{id}'.");
        }
        if (Page(request, out var limit, out var before) is { } problem)
        {
            return problem;
        }
        string key;
        if (Sandbox.UserDirectory.UserIdFormat().IsMatch(user))
        {
            // Sandbox users are known by both ids; their chats are kept under the phone number.
            key = channel.Upstream == Sandbox.SandboxUpstream.UpstreamName && await directory.ResolveAsync(channel.WabaId, user, cancellationToken) is { } known
                ? known.WaId
                : user;
        }
        else if (!OutboundMessageReader.TryGetWaId(user, out key))
        {
            return BadRequest("The user must be a phone number (digits, optionally with +) or a business-scoped user id such as US.13491208655302741918.");
        }
        var rows = await conversations.ListMessagesAsync(id, key, before, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        var outbound = page.Where(m => m.Direction == MessageDirection.Outbound).Select(m => m.Id).ToList();
        var statuses = outbound.Count == 0 ? [] : MessageStatuses.Latest(await conversations.ListStatusesAsync(id, outbound,
            page.Min(m => m.CreatedAt) - TimeSpan.FromMinutes(1), time.GetUtcNow(), cancellationToken));
        var views = page.Select(m =>
        {
            using var body = JsonDocument.Parse(m.Body);
            var root = body.RootElement;
            var replyTo = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                ? (context.TryGetProperty("message_id", out var quoted) || context.TryGetProperty("id", out quoted)) && quoted.ValueKind == JsonValueKind.String ? quoted.GetString() : null
                : null;
            statuses.TryGetValue(m.Id, out var status);
            return new ConversationMessageView(m.Id, m.Direction == MessageDirection.Inbound ? "inbound" : "outbound", m.Type, m.CreatedAt, root.Clone(),
                m.Direction == MessageDirection.Outbound ? status?.Status ?? "accepted" : null, status?.At,
                status?.Status == "failed" ? MessageStatuses.ErrorOf(status.Payload) : null, replyTo);
        }).ToList();
        return Results.Json(new ConversationMessagesPage(key, views, rows.Count > limit ? Cursor(page[^1].CreatedAt, page[^1].Id) : null),
            ConversationJsonContext.Default.ConversationMessagesPage);
    }

    private static IResult? Page(HttpRequest request, out int limit, out PageKey? key)
    {
        limit = 50;
        key = null;
        if (request.Query.TryGetValue("limit", out var text) && (!int.TryParse(text, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 500))
        {
            return BadRequest("'limit' must be between 1 and 500.");
        }
        if (request.Query["cursor"].FirstOrDefault() is { Length: > 0 } cursor)
        {
            var decoded = Dialects.Graph.GraphCursor.Decode(cursor)?.Split('|', 2);
            if (decoded is not [var ms, var id] || !long.TryParse(ms, CultureInfo.InvariantCulture, out var at))
            {
                return BadRequest("'cursor' must be a next_cursor this API answered.");
            }
            key = new PageKey(DateTimeOffset.FromUnixTimeMilliseconds(at), id);
        }
        return null;
    }

    private static string Cursor(DateTimeOffset at, string id) =>
        Dialects.Graph.GraphCursor.Encode($"{at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}|{id}");

    private static IResult BadRequest(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
