using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Sandbox;

/// <summary>A simulated user as the admin API shows them.</summary>
public sealed record SandboxUserView(
    string WaId, string UserId, string? ParentUserId, string? Username, bool HideNumber, bool PhoneAvailable, string? ChangedTo);

public sealed record SandboxUserChange(string? Username, bool? HideNumber);

public sealed record NumberChange(string? PhoneNumber);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SandboxUserView))]
[JsonSerializable(typeof(SandboxUserChange))]
[JsonSerializable(typeof(NumberChange))]
internal sealed partial class SandboxUserJsonContext : JsonSerializerContext;

/// <summary>
/// The admin API for the sandbox's simulated users of a WABA, addressed by phone number or BSUID:
/// <c>GET</c>/<c>PATCH /admin/v1/wabas/{waba_id}/users/{user}</c> (username, hide_number) and
/// <c>POST …/change_number</c>, which gives the user a new number and BSUID and tells every number that talked with
/// them (a <c>system</c> message; Cloud numbers also get a <c>user_id_update</c> change).
/// </summary>
public static class SandboxUserEndpoints
{
    public static RouteGroupBuilder MapSandboxUsers(this RouteGroupBuilder admin)
    {
        admin.MapGet("/wabas/{wabaId}/users/{user}", GetAsync).WithSummary("A simulated user: phone, BSUID, parent BSUID, username, whether the business may see the phone.");
        admin.MapPatch("/wabas/{wabaId}/users/{user}", UpdateAsync).WithSummary("Give a simulated user a username (\"\" removes it) or hide their number: {username?, hide_number?}.");
        admin.MapPost("/wabas/{wabaId}/users/{user}/change_number", ChangeNumberAsync)
            .WithSummary("The user moves to another number {phone_number}: a new BSUID, a system message and a user_id_update webhook.");
        return admin;
    }

    private static async Task<IResult> GetAsync(string wabaId, string user, UserDirectory directory, CancellationToken cancellationToken) =>
        await ResolveAsync(wabaId, user, directory, cancellationToken) is { } found
            ? Results.Json(View(found, directory), SandboxUserJsonContext.Default.SandboxUserView)
            : NotFound(user);

    private static async Task<IResult> UpdateAsync(string wabaId, string user, HttpRequest request, UserDirectory directory)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (change, invalid) = await ReadAsync(request, SandboxUserJsonContext.Default.SandboxUserChange);
        if (invalid is not null)
        {
            return invalid;
        }
        if (change is null || change.Username is { Length: > 35 })
        {
            return Results.Problem(statusCode: 400, title: "Bad request", detail: "Send {\"username\": \"...\" (at most 35 characters, \"\" removes it), \"hide_number\": true|false}.");
        }
        var found = await ResolveAsync(wabaId, user, directory, cancellationToken);
        if (found is null)
        {
            return NotFound(user);
        }
        var username = change.Username is null ? found.Username : change.Username.Length == 0 ? null : change.Username;
        var updated = found with { Username = username, HidesNumber = change.HideNumber ?? (change.Username is { Length: > 0 } || found.HidesNumber) };
        await directory.SaveAsync(updated, cancellationToken);
        return Results.Json(View(updated, directory), SandboxUserJsonContext.Default.SandboxUserView);
    }

    private static async Task<IResult> ChangeNumberAsync(string wabaId, string user, HttpRequest request, UserDirectory directory,
        Tenancy.ITenantStore tenantStore, Messaging.IMessageStore messages,
        DeliverySignal signal, TimeProvider time)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var (body, invalid) = await ReadAsync(request, SandboxUserJsonContext.Default.NumberChange);
        if (invalid is not null)
        {
            return invalid;
        }
        if (body?.PhoneNumber is null || !OutboundMessageReader.TryGetWaId(body.PhoneNumber, out var newWaId))
        {
            return Results.Problem(statusCode: 400, title: "Bad request", detail: "'phone_number' must be the user's new phone number in international format.");
        }
        var found = await ResolveAsync(wabaId, user, directory, cancellationToken);
        if (found is null)
        {
            return NotFound(user);
        }
        if (found.ChangedTo is not null || await directory.FindAsync(wabaId, newWaId, cancellationToken) is not null)
        {
            return Results.Problem(statusCode: 409, title: "Conflict", detail: "The user already moved, or the WABA already knows a user with the new number.");
        }
        var (old, moved) = await directory.ChangeNumberAsync(found, newWaId, cancellationToken);
        var now = time.GetUtcNow();
        var events = new List<NewWebhookEvent>();
        foreach (var channel in await tenantStore.ListChannelsAsync(wabaId, null, 1000, cancellationToken))
        {
            if (channel.Upstream == SandboxUpstream.UpstreamName && (await messages.ListConversationAsync(channel.Id, old.WaId, 1, cancellationToken)).Count > 0)
            {
                events.AddRange(NumberChangeEvents(channel, directory, old, moved, now));
            }
        }
        await messages.SaveEventsAsync(events, cancellationToken);
        signal.Notify();
        return Results.Json(View(moved, directory), SandboxUserJsonContext.Default.SandboxUserView);
    }

    /// <summary>
    /// What a number that talked with the user receives: a <c>system</c> message (<c>user_changed_number</c> when the
    /// business may see the phone, else <c>user_changed_user_id</c>) naming the new ids, and on Cloud numbers a
    /// <c>user_id_update</c> change with the previous and the current BSUID.
    /// </summary>
    private static IEnumerable<NewWebhookEvent> NumberChangeEvents(Channel channel, UserDirectory directory, SandboxUser old, SandboxUser moved, DateTimeOffset now)
    {
        var cloud = channel.HostingType == HostingType.Cloud;
        var before = directory.Describe(old with { ChangedTo = null }, sentToPhone: false, old.UserId);
        var after = directory.Describe(moved, sentToPhone: false, moved.UserId);
        var phoneVisible = before.VisibleWaId is not null && after.VisibleWaId is not null;
        var name = old.Username ?? "user";
        var system = new JsonObject
        {
            ["body"] = phoneVisible ? $"User {name} changed from {old.WaId} to {moved.WaId}" : $"User {name} changed their WhatsApp account",
        };
        if (phoneVisible)
        {
            system["wa_id"] = moved.WaId;
        }
        system["user_id"] = moved.UserId;
        if (after.ParentUserId is not null)
        {
            system["parent_user_id"] = after.ParentUserId;
        }
        system["type"] = phoneVisible ? "user_changed_number" : "user_changed_user_id";
        if (!cloud && phoneVisible)
        {
            system["customer"] = old.WaId;
        }
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var message = new InboundMessagePayload
        {
            From = cloud ? before.VisibleWaId : before.VisibleWaId ?? old.UserId,
            FromUserId = cloud ? old.UserId : null,
            FromParentUserId = cloud ? before.ParentUserId : null,
            Id = Identifiers.NewMessageId(),
            Timestamp = timestamp,
            Type = "system",
            Content = new Dictionary<string, JsonElement> { ["system"] = JsonSerializer.SerializeToElement(system, SandboxJsonContext.Default.JsonObject) },
        };
        yield return WebhookEvents.ForInboundMessage(channel, old.Username ?? old.WaId, message, now, before);
        if (cloud)
        {
            var update = new JsonObject { ["previous_user_id"] = old.UserId, ["user_id"] = moved.UserId };
            if (after.VisibleWaId is not null)
            {
                update["wa_id"] = moved.WaId;
            }
            if (after.ParentUserId is not null)
            {
                update["parent_user_id"] = after.ParentUserId;
            }
            update["timestamp"] = timestamp;
            var value = new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["metadata"] = new JsonObject { ["display_phone_number"] = channel.PhoneNumber, ["phone_number_id"] = channel.PhoneNumberId },
                ["user_id_update"] = new JsonArray(update),
            };
            var payload = new JsonObject
            {
                ["object"] = "whatsapp_business_account",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["id"] = channel.WabaId,
                    ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = "user_id_update" }),
                }),
            };
            yield return new NewWebhookEvent(WebhookEvents.NewEventId(), channel.Id, "user_id_update", HostingType.Cloud, payload.ToJsonString(), now, null);
        }
    }

    /// <summary>The user a phone number or one of the gateway's BSUIDs names (every number is a simulated user).</summary>
    private static async Task<SandboxUser?> ResolveAsync(string wabaId, string user, UserDirectory directory, CancellationToken cancellationToken)
    {
        var key = user.TrimStart('+');
        if (UserDirectory.UserIdFormat().IsMatch(key))
        {
            return await directory.ResolveAsync(wabaId, key, cancellationToken);
        }
        return OutboundMessageReader.TryGetWaId(key, out var waId) ? await directory.LookupAsync(wabaId, waId, cancellationToken) : null;
    }

    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted), null);
        }
        catch (JsonException e)
        {
            return (null, Results.Problem(statusCode: 400, title: "Bad request", detail: Dialects.JsonErrors.Describe(e)));
        }
    }

    private static SandboxUserView View(SandboxUser user, UserDirectory directory) =>
        new(user.WaId, user.UserId, directory.ParentUserIdsEnabled ? user.ParentUserId : null, user.Username, user.HidesNumber, directory.PhoneAvailable(user), user.ChangedTo);

    private static IResult NotFound(string user) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"The WABA knows no simulated user '{user}'.");
}
