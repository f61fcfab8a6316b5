using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>Issue 15: business-scoped user ids and usernames, as Meta has them since April 2026.</summary>
public sealed class BusinessScopedUserIdTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string BsuidPattern = @"^DE\.\d{20}$";

    private static object Text(string? to = null, string? recipient = null, object? context = null) =>
        new { messaging_product = "whatsapp", to, recipient, type = "text", text = new { body = "Hello" }, context };

    private static async Task<List<JsonElement>> LogAsync(GatewayServer gateway, TestNumber number, string? user = null)
    {
        var query = $"/admin/v1/deliveries?number_id={number.Id}&limit=500" + (user is null ? "" : $"&user={Uri.EscapeDataString(user)}");
        var log = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, query), 200);
        return [.. log.GetProperty("data").EnumerateArray()];
    }

    private static JsonElement Value(JsonElement payload) => payload.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");

    [Fact]
    public async Task UserWithoutUsername_EveryWebhookCarriesPhoneAndStableBsuid()
    {
        await using var gateway = await GatewayServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        var other = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        const string Phone = "4915100000101";

        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = Phone, name = "Alex", text = new { body = "hi" } }), 202);
        var sent = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(to: Phone)), 200);
        Assert.Equal(Phone, sent.GetProperty("contacts")[0].GetProperty("wa_id").GetString());

        var hooks = await receiver.WaitForAsync(r => r.Count >= 4);
        var inbound = Value(hooks.Single(h => Value(h.Json).TryGetProperty("messages", out _)).Json);
        var contact = inbound.GetProperty("contacts")[0];
        var userId = contact.GetProperty("user_id").GetString()!;
        Assert.Matches(BsuidPattern, userId);
        Assert.Equal(Phone, contact.GetProperty("wa_id").GetString());
        Assert.Equal("Alex", contact.GetProperty("profile").GetProperty("name").GetString());
        Assert.False(contact.GetProperty("profile").TryGetProperty("username", out _));
        Assert.False(contact.TryGetProperty("parent_user_id", out _));
        Assert.Equal(Phone, inbound.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.Equal(userId, inbound.GetProperty("messages")[0].GetProperty("from_user_id").GetString());

        foreach (var hook in hooks.Where(h => Value(h.Json).TryGetProperty("statuses", out _)))
        {
            var value = Value(hook.Json);
            var status = value.GetProperty("statuses")[0];
            Assert.Equal(Phone, status.GetProperty("recipient_id").GetString());
            Assert.Equal(userId, status.GetProperty("recipient_user_id").GetString());
            Assert.Equal(Phone, value.GetProperty("contacts")[0].GetProperty("wa_id").GetString());
            Assert.Equal(userId, value.GetProperty("contacts")[0].GetProperty("user_id").GetString());
            Assert.False(value.GetProperty("contacts")[0].TryGetProperty("profile", out _));
        }

        // Stable for the WABA; another WABA's business sees another id for the same user.
        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = Phone, text = new { body = "again" } });
        await gateway.PostAsync("/sandbox/v1/inbound", other.ApiKey, new { from = Phone, text = new { body = "elsewhere" } });
        var again = (await LogAsync(gateway, number)).Where(e => e.GetProperty("kind").GetString() == "message.text").Select(e => Value(e.GetProperty("payload")).GetProperty("contacts")[0].GetProperty("user_id").GetString()).Distinct();
        Assert.Equal([userId], again);
        var elsewhere = Value((await LogAsync(gateway, other)).Single().GetProperty("payload")).GetProperty("contacts")[0].GetProperty("user_id").GetString();
        Assert.NotEqual(userId, elsewhere);
    }

    [Fact]
    public async Task UsernameUserWithHiddenPhone_NoPhoneAnywhere_ReachableByRecipientOnly()
    {
        await using var gateway = await GatewayServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        const string Phone = "4915100000202";

        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey,
            new { from = Phone, name = "Kai", username = "@kai", text = new { body = "hi, no number please" } }), 202);
        var first = Value(Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1)).Json);
        var contact = first.GetProperty("contacts")[0];
        var userId = contact.GetProperty("user_id").GetString()!;
        Assert.Equal("@kai", contact.GetProperty("profile").GetProperty("username").GetString());
        Assert.False(contact.TryGetProperty("wa_id", out _));
        var inboundMessage = first.GetProperty("messages")[0];
        Assert.False(inboundMessage.TryGetProperty("from", out _));
        Assert.Equal(userId, inboundMessage.GetProperty("from_user_id").GetString());
        var inboundId = inboundMessage.GetProperty("id").GetString()!;

        // Answer, reply and react by BSUID, inside the window the user's message opened; mark their message read.
        var sent = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: userId)), 200);
        Assert.Equal(userId, sent.GetProperty("contacts")[0].GetProperty("input").GetString());
        Assert.Equal(userId, sent.GetProperty("contacts")[0].GetProperty("user_id").GetString());
        Assert.False(sent.GetProperty("contacts")[0].TryGetProperty("wa_id", out _));
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: userId, context: new { message_id = inboundId })), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey,
            new { messaging_product = "whatsapp", recipient = userId, type = "reaction", reaction = new { message_id = inboundId, emoji = "👍" } }), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, new { messaging_product = "whatsapp", status = "read", message_id = inboundId }), 200);

        var hooks = await receiver.WaitForAsync(r => r.Count >= 1 + 9);
        Assert.All(hooks, h => Assert.DoesNotContain(Phone, h.Body, StringComparison.Ordinal));
        var statuses = hooks.Skip(1).Select(h => Value(h.Json)).ToList();
        Assert.All(statuses, v =>
        {
            var status = v.GetProperty("statuses")[0];
            Assert.Equal(userId, status.GetProperty("recipient_id").GetString());
            Assert.Equal(userId, status.GetProperty("recipient_user_id").GetString());
            Assert.Equal(userId, v.GetProperty("contacts")[0].GetProperty("user_id").GetString());
            var hasUsername = v.GetProperty("contacts")[0].TryGetProperty("profile", out var profile) && profile.TryGetProperty("username", out _);
            Assert.Equal(status.GetProperty("status").GetString() is "delivered" or "read", hasUsername);
        });
        Assert.Equal(3, statuses.Count(v => v.GetProperty("statuses")[0].GetProperty("status").GetString() == "read"));

        // The chat is the user's whatever the business calls them; their phone number is not a way in for a BSUID-only business.
        var chat = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, $"/sandbox/v1/chats/{Phone}", number.ApiKey), Ct), 200);
        Assert.Equal(4, chat.GetProperty("messages").GetArrayLength());
        var byBsuid = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, $"/sandbox/v1/chats/{userId}", number.ApiKey), Ct), 200);
        Assert.Equal(4, byBsuid.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task SendByRecipient_WorksInTheGraphAndOnPremiseDialectsToo()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var cloud = await gateway.CreateNumberAsync("cloud");
        var onPremise = await gateway.CreateNumberAsync("on_premise", cloud.WabaId);
        const string Phone = "4915100000250";
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", cloud.ApiKey, new { from = Phone, username = "@lee", text = new { body = "hi" } }), 202);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", onPremise.ApiKey, new { from = Phone, text = new { body = "hi" } }), 202);
        var userId = (await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/wabas/{cloud.WabaId}/users/{Phone}"), 200))
            .GetProperty("user_id").GetString()!;

        var graph = GatewayServer.Request(HttpMethod.Post, $"/v21.0/{cloud.PhoneNumberId}/messages", null, Text(recipient: userId));
        graph.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", cloud.ApiKey);
        var graphAnswer = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(graph, Ct), 200);
        Assert.Equal(userId, graphAnswer.GetProperty("contacts")[0].GetProperty("user_id").GetString());

        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", onPremise.ApiKey, new { recipient = userId, type = "text", text = new { body = "hello" } }), 200);
        var sent = (await LogAsync(gateway, onPremise)).First(e => e.GetProperty("kind").GetString() == "status.sent").GetProperty("payload");
        // The On-Premise shape keeps its statuses; the recipient is named as the business named them.
        Assert.Equal(userId, sent.GetProperty("statuses")[0].GetProperty("recipient_id").GetString());
    }

    [Fact]
    public async Task ToAndRecipient_ToWins_NeitherIsMissingNamingBoth_BadRecipientIsInvalid()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:EnforceCustomerServiceWindow"] = "false" });
        var cloud = await gateway.CreateNumberAsync("cloud");
        var onPremise = await gateway.CreateNumberAsync("on_premise");

        var both = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", cloud.ApiKey, Text(to: "4915100000303", recipient: "DE.12345678901234567890")), 200);
        Assert.Equal("4915100000303", both.GetProperty("contacts")[0].GetProperty("wa_id").GetString());

        var neither = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", cloud.ApiKey, Text()), 400);
        Assert.Equal(131008, neither.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("to or recipient", neither.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString());
        var onPremiseNeither = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", onPremise.ApiKey, new { type = "text", text = new { body = "x" } }), 400);
        Assert.Equal(1008, onPremiseNeither.GetProperty("errors")[0].GetProperty("code").GetInt32());

        var bad = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", cloud.ApiKey, Text(recipient: "4915100000303")), 400);
        Assert.StartsWith("recipient:", bad.GetProperty("error").GetProperty("error_data").GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedStatuses_OmitContacts_AndRecipientUserIdOnlyWhenSentToABsuid()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        // A known user (the admin API creates them) who never wrote: free-form messages fail with 131047.
        var user = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/wabas/{number.WabaId}/users/4915100000404", new { username = "@quiet" }), 200);
        var userId = user.GetProperty("user_id").GetString()!;
        Assert.False(user.GetProperty("phone_available").GetBoolean());

        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: userId)), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(to: "9990000000001")), 200);

        var failed = (await LogAsync(gateway, number)).Where(e => e.GetProperty("kind").GetString() == "status.failed").Select(e => Value(e.GetProperty("payload"))).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, v => Assert.False(v.TryGetProperty("contacts", out _)));
        var byBsuid = failed.Single(v => v.GetProperty("statuses")[0].GetProperty("recipient_id").GetString() == userId).GetProperty("statuses")[0];
        Assert.Equal(userId, byBsuid.GetProperty("recipient_user_id").GetString());
        Assert.Equal(131047, byBsuid.GetProperty("errors")[0].GetProperty("code").GetInt32());
        var byPhone = failed.Single(v => v.GetProperty("statuses")[0].GetProperty("recipient_id").GetString() == "9990000000001").GetProperty("statuses")[0];
        Assert.False(byPhone.TryGetProperty("recipient_user_id", out _));
        Assert.Equal(131026, byPhone.GetProperty("errors")[0].GetProperty("code").GetInt32());

        // A BSUID the WABA never saw reaches nobody.
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: "DE.99999999999999999999")), 200);
        var unknown = (await LogAsync(gateway, number, "DE.99999999999999999999")).Single();
        Assert.Equal(131026, Value(unknown.GetProperty("payload")).GetProperty("statuses")[0].GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task HiddenPhone_BecomesAvailableWhenTheBusinessWroteToIt_ForThirtyDays()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        await using var gateway = await GatewayServer.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var number = await gateway.CreateNumberAsync("cloud");
        const string Phone = "4915100000505";
        await gateway.AdminAsync(HttpMethod.Patch, $"/admin/v1/wabas/{number.WabaId}/users/{Phone}", new { username = "@sam", hide_number = true });

        async Task<JsonElement> InboundContactAsync()
        {
            await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = Phone, text = new { body = "hi" } }), 202);
            var latest = (await LogAsync(gateway, number)).Last(e => e.GetProperty("kind").GetString() == "message.text");
            return Value(latest.GetProperty("payload")).GetProperty("contacts")[0];
        }

        async Task<bool> AvailableAsync() =>
            (await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/wabas/{number.WabaId}/users/{Phone}"), 200))
                .GetProperty("phone_available").GetBoolean();

        Assert.False((await InboundContactAsync()).TryGetProperty("wa_id", out _));
        // The business writes to the phone number (a template): the number is in its contact book now.
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = Phone, type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } }), 200);
        Assert.True(await AvailableAsync());
        clock.Advance(TimeSpan.FromDays(29));
        Assert.True(await AvailableAsync());
        clock.Advance(TimeSpan.FromDays(2));
        Assert.False(await AvailableAsync());
        Assert.False((await InboundContactAsync()).TryGetProperty("wa_id", out _));
        // Within the 30 days a message from the user shows the phone (and keeps it in the contact book).
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey,
            new { messaging_product = "whatsapp", to = Phone, type = "template", template = new { name = "hello_world", language = new { code = "en_US" } } }), 200);
        Assert.Equal(Phone, (await InboundContactAsync()).GetProperty("wa_id").GetString());
    }

    [Fact]
    public async Task NumberChange_NewBsuid_SystemMessageAndUserIdUpdate_OldIdsReachNobody()
    {
        await using var gateway = await GatewayServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.SetWabaWebhookAsync(number, receiver.Url());
        const string Old = "4915100000606", New = "4915100000607";
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = Old, text = new { body = "hi" } }), 202);
        var oldId = Value((await receiver.WaitForAsync(r => r.Count >= 1))[0].Json).GetProperty("contacts")[0].GetProperty("user_id").GetString()!;

        var moved = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Post, $"/admin/v1/wabas/{number.WabaId}/users/{oldId}/change_number", new { phone_number = "+" + New }), 200);
        var newId = moved.GetProperty("user_id").GetString()!;
        Assert.Matches(BsuidPattern, newId);
        Assert.NotEqual(oldId, newId);
        Assert.Equal(New, moved.GetProperty("wa_id").GetString());

        var hooks = await receiver.WaitForAsync(r => r.Count >= 3);
        var change = hooks.Select(h => h.Json.GetProperty("entry")[0].GetProperty("changes")[0]).ToList();
        var system = change.Select(c => c.GetProperty("value")).Single(v => v.TryGetProperty("messages", out var m) && m[0].GetProperty("type").GetString() == "system").GetProperty("messages")[0];
        Assert.Equal("user_changed_number", system.GetProperty("system").GetProperty("type").GetString());
        Assert.Equal(New, system.GetProperty("system").GetProperty("wa_id").GetString());
        Assert.Equal(newId, system.GetProperty("system").GetProperty("user_id").GetString());
        Assert.Equal(oldId, system.GetProperty("from_user_id").GetString());
        var update = change.Single(c => c.GetProperty("field").GetString() == "user_id_update").GetProperty("value").GetProperty("user_id_update")[0];
        Assert.Equal(oldId, update.GetProperty("previous_user_id").GetString());
        Assert.Equal(newId, update.GetProperty("user_id").GetString());

        // Neither the old BSUID nor the old number reaches the user now; the new ones do.
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: oldId)), 200);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(to: Old)), 200);
        Assert.Equal(400, (int)(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = Old, text = new { body = "old phone" } })).StatusCode);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = New, text = new { body = "new phone" } }), 202);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: newId)), 200);
        var log = await LogAsync(gateway, number);
        var failedCodes = log.Where(e => e.GetProperty("kind").GetString() == "status.failed")
            .Select(e => Value(e.GetProperty("payload")).GetProperty("statuses")[0].GetProperty("errors")[0].GetProperty("code").GetInt32());
        Assert.Equal([131026, 131026], failedCodes);
        Assert.Contains(log, e => e.GetProperty("kind").GetString() == "status.read"
            && Value(e.GetProperty("payload")).GetProperty("statuses")[0].GetProperty("recipient_user_id").GetString() == newId);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ParentUserIds_AppearOnlyWhenEnabled_AndSpanWabas(bool enabled)
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:ParentUserIds"] = enabled ? "true" : "false" });
        var first = await gateway.CreateNumberAsync("cloud");
        var second = await gateway.CreateNumberAsync("cloud");
        const string Phone = "4915100000707";
        await gateway.PostAsync("/sandbox/v1/inbound", first.ApiKey, new { from = Phone, text = new { body = "hi" } });
        await gateway.PostAsync("/sandbox/v1/inbound", second.ApiKey, new { from = Phone, text = new { body = "hi" } });
        var seen = new List<JsonElement>();
        foreach (var number in new[] { first, second })
        {
            var payload = (await LogAsync(gateway, number)).Single().GetProperty("payload");
            seen.Add(Value(payload).GetProperty("contacts")[0]);
            Assert.Equal(enabled, payload.GetRawText().Contains("parent_user_id", StringComparison.Ordinal));
        }
        if (!enabled)
        {
            return;
        }
        var parent = seen[0].GetProperty("parent_user_id").GetString()!;
        Assert.Matches(@"^DE\.ENT\.\d{20}$", parent);
        Assert.Equal(parent, seen[1].GetProperty("parent_user_id").GetString());
        Assert.NotEqual(seen[0].GetProperty("user_id").GetString(), seen[1].GetProperty("user_id").GetString());

        // A parent BSUID addresses the user too; statuses then name it.
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", first.ApiKey, Text(recipient: parent)), 200);
        var sent = (await LogAsync(gateway, first)).First(e => e.GetProperty("kind").GetString() == "status.sent");
        Assert.Equal(parent, Value(sent.GetProperty("payload")).GetProperty("statuses")[0].GetProperty("recipient_parent_user_id").GetString());
    }

    [Fact]
    public async Task OnPremiseShape_AddsUserIdBesideWaId_AndKeepsItsShape()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("on_premise");
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000808", name = "Ola", text = new { body = "hi" } }), 202);
        await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/messages", number.ApiKey, new { to = "4915100000808", type = "text", text = new { body = "hello" } }), 200);

        var log = await LogAsync(gateway, number);
        var inbound = log.Single(e => e.GetProperty("kind").GetString() == "message.text").GetProperty("payload");
        var contact = inbound.GetProperty("contacts")[0];
        Assert.Equal("4915100000808", contact.GetProperty("wa_id").GetString());
        Assert.Matches(BsuidPattern, contact.GetProperty("user_id").GetString());
        Assert.Equal("4915100000808", inbound.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.False(inbound.GetProperty("messages")[0].TryGetProperty("from_user_id", out _));
        Assert.All(log.Where(e => e.GetProperty("kind").GetString()!.StartsWith("status.", StringComparison.Ordinal)), e =>
        {
            var payload = e.GetProperty("payload");
            Assert.False(payload.TryGetProperty("contacts", out _));
            Assert.False(payload.GetProperty("statuses")[0].TryGetProperty("recipient_user_id", out _));
        });
    }

    [Fact]
    public async Task DeliveryLog_FindsAUsersEventsByBsuidOrPhone_AndBlockUsersTakesUserId()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("cloud");
        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000901", text = new { body = "one" } });
        await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000902", username = "@two", text = new { body = "two" } });
        var log = await LogAsync(gateway, number);
        string UserIdOf(JsonElement e) => Value(e.GetProperty("payload")).GetProperty("contacts")[0].GetProperty("user_id").GetString()!;
        var twoId = UserIdOf(log.Single(e => e.GetProperty("payload").GetRawText().Contains("@two", StringComparison.Ordinal)));

        Assert.Equal(twoId, UserIdOf(Assert.Single(await LogAsync(gateway, number, twoId))));
        Assert.Single(await LogAsync(gateway, number, "4915100000901"));
        Assert.Equal(400, (int)(await gateway.AdminAsync(HttpMethod.Get, "/admin/v1/deliveries?user=%25")).StatusCode);

        var blocked = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/block_users", number.ApiKey,
            new { messaging_product = "whatsapp", block_users = new[] { new { user_id = twoId } } }), 200);
        var added = blocked.GetProperty("block_users").GetProperty("added_users")[0];
        Assert.Equal(twoId, added.GetProperty("user_id").GetString());
        Assert.False(added.TryGetProperty("wa_id", out _));
        Assert.Equal(403, (int)(await gateway.PostAsync("/sandbox/v1/inbound", number.ApiKey, new { from = "4915100000902", text = new { body = "blocked?" } })).StatusCode);
        var refused = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/messages", number.ApiKey, Text(recipient: twoId)), 400);
        Assert.Equal(131026, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.DoesNotContain("4915100000902", refused.GetRawText(), StringComparison.Ordinal);
    }
}
