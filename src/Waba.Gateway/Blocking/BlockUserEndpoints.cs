using System.Globalization;
using System.Text;
using Waba.Gateway.Dialects;
using Waba.Gateway.Dialects.Graph;
using Waba.Gateway.Messaging;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Blocking;

/// <summary>
/// Meta's Block Users API: <c>POST</c>/<c>DELETE</c>/<c>GET /block_users</c> (Graph: <c>/{version}/{phone-number-id}/block_users</c>).
/// Body <c>{"messaging_product": "whatsapp", "block_users": [{"user": "+1650..."}]}</c>; <c>meta</c> numbers are answered by Meta.
/// </summary>
public static class BlockUserEndpoints
{
    public static RouteGroupBuilder MapBlockUsers(this RouteGroupBuilder channelApi)
    {
        channelApi.MapPost("/block_users", BlockAsync).WithTags("Block users").WithSummary("Block users who wrote within 24 hours (at most 1,000 per request).");
        channelApi.MapDelete("/block_users", UnblockAsync).WithTags("Block users").WithSummary("Unblock users.");
        channelApi.MapGet("/block_users", ListAsync).WithTags("Block users").WithSummary("The blocked users, paged with limit and after.");
        return channelApi;
    }

    internal static Task<IResult> BlockAsync(HttpContext http, BlockList blocks) => ChangeAsync(http, blocks, block: true);

    internal static Task<IResult> UnblockAsync(HttpContext http, BlockList blocks) => ChangeAsync(http, blocks, block: false);

    internal static async Task<IResult> ListAsync(HttpContext http, BlockList blocks)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayAsync(http, HttpMethod.Get, null);
        }
        var limit = int.TryParse(http.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) && l is > 0 and <= 1000 ? l : 100;
        var after = GraphCursor.Decode(http.Request.Query["after"]);
        var page = await blocks.Store.ListAsync(channel.Id, after, limit + 1, http.RequestAborted);
        var shown = page.Take(limit).ToList();
        var next = page.Count > limit ? GraphCursor.Encode(shown[^1]) : null;
        return Results.Json(new BlockedList(shown.Select(w => new BlockedEntry("whatsapp", w)).ToList(),
                new GraphPaging(new GraphCursors(shown.Count > 0 ? GraphCursor.Encode(shown[0]) : null, shown.Count > 0 ? GraphCursor.Encode(shown[^1]) : null),
                    next is null ? null : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?limit={limit}&after={next}")),
            BlockJsonContext.Default.BlockedList);
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, BlockList blocks, bool block)
    {
        var channel = http.Channel();
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.Cloud);
        if (invalid is not null)
        {
            return invalid;
        }
        // Each user as named: a phone number ("user"), or since April 2026 a BSUID ("user_id"), resolved below.
        List<(string Input, string? WaId, bool ByUserId)> users = [];
        using (document)
        {
            var root = document!.RootElement;
            if (Fields.OneOf(root, "messaging_product", "messaging_product", ["whatsapp"], out _) is { } productError)
            {
                return DialectResults.Error(HostingType.Cloud, productError);
            }
            if (Fields.Array(root, "block_users", "block_users", 1, BlockList.MaxPerRequest, out var list) is { } error)
            {
                return DialectResults.Error(HostingType.Cloud, error);
            }
            var i = 0;
            foreach (var entry in list.EnumerateArray())
            {
                var path = $"block_users[{i++}]";
                if (entry.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    return DialectResults.Error(HostingType.Cloud, ApiError.Invalid(path, "must be an object with user"));
                }
                if (!Fields.Present(entry, "user", out _) && Fields.Present(entry, "user_id", out _))
                {
                    if (Fields.String(entry, "user_id", $"{path}.user_id", 160, out var userId) is { } idError)
                    {
                        return DialectResults.Error(HostingType.Cloud, idError);
                    }
                    if (!Sandbox.UserDirectory.UserIdFormat().IsMatch(userId))
                    {
                        return DialectResults.Error(HostingType.Cloud, ApiError.Invalid($"{path}.user_id", "must be a business-scoped user id such as US.13491208655302741918"));
                    }
                    users.Add((userId, null, true));
                    continue;
                }
                if (Fields.String(entry, "user", $"{path}.user", 64, out var user) is { } userError)
                {
                    return DialectResults.Error(HostingType.Cloud, userError);
                }
                if (!OutboundMessageReader.TryGetWaId(user, out var waId))
                {
                    return DialectResults.Error(HostingType.Cloud, ApiError.Invalid($"{path}.user", "must be a phone number in international format"));
                }
                users.Add((user, waId, false));
            }
            if (Meta.MetaGraph.Serves(channel))
            {
                return await RelayAsync(http, block ? HttpMethod.Post : HttpMethod.Delete, root.GetRawText());
            }
        }
        var directory = http.RequestServices.GetRequiredService<Sandbox.UserDirectory>();
        var resolved = new List<(string Input, string? WaId, string? UserId)>();
        foreach (var (input, waId, byUserId) in users)
        {
            var user = byUserId ? await directory.ResolveAsync(channel.WabaId, input, http.RequestAborted) : null;
            resolved.Add(byUserId ? (input, user?.WaId, input) : (input, waId, null));
        }
        if (!block)
        {
            var known = resolved.Where(u => u.WaId is not null).ToList();
            await blocks.Store.UnblockAsync(channel.Id, known.Select(u => u.WaId!).ToList(), http.RequestAborted);
            // A user unblocked by BSUID is answered by BSUID: the phone stays hidden from the business.
            return Results.Json(new BlockAnswer("whatsapp", new BlockOutcome(RemovedUsers: known.Select(u => new BlockedUser(u.Input, u.UserId is null ? u.WaId : null, UserId: u.UserId)).ToList())),
                BlockJsonContext.Default.BlockAnswer);
        }
        var outcome = await blocks.BlockAsync(channel, resolved.Select(u => (u.Input, u.WaId)).ToList(), http.RequestAborted);
        var byId = resolved.Where(u => u.UserId is not null).Select(u => u.Input).ToHashSet(StringComparer.Ordinal);
        outcome = outcome with
        {
            AddedUsers = outcome.AddedUsers?.Select(u => byId.Contains(u.Input) ? u with { WaId = null, UserId = u.Input } : u).ToList(),
            FailedUsers = outcome.FailedUsers?.Select(u => byId.Contains(u.Input) ? u with { WaId = null, UserId = u.Input } : u).ToList(),
        };
        if (outcome.FailedUsers is null)
        {
            return Results.Json(new BlockAnswer("whatsapp", outcome), BlockJsonContext.Default.BlockAnswer);
        }
        // Meta answers a partly failed block with error 139100 beside the per-user outcome.
        return Results.Json(new BlockAnswer("whatsapp", outcome,
                new CloudError("(#139100) Failed to block/unblock users", "OAuthException", 139100,
                    new CloudErrorData("whatsapp", "Some users could not be blocked; see block_users.failed_users."), Identifiers.NewOpaque("trace"))),
            BlockJsonContext.Default.BlockAnswer, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Meta's answer as it came, per-user outcome and errors included: what the caller would have had from Meta.</summary>
    private static Task<IResult> RelayAsync(HttpContext http, HttpMethod method, string? body) =>
        http.RequestServices.GetRequiredService<Meta.MetaGraph>().RelayAsync(http, method,
            $"{http.Channel().PhoneNumberId}/block_users{http.Request.QueryString}", body, HostingType.Cloud, relayRefusals: true);
}
