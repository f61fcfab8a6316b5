using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Waba.Client.Http;

namespace Waba.Client.Gateway;

/// <summary>
/// A Waba Gateway's admin API (<c>/admin/v1</c>, <c>Authorization: Bearer &lt;Admin:Token&gt;</c>): WABAs, numbers, API
/// keys, the effective webhook and its test, the delivery log and replay. Errors are <see cref="WabaApiException"/>s
/// with the problem's title and detail.
/// </summary>
public sealed class GatewayAdminClient(HttpClient http, Uri baseAddress, string adminToken)
{
    private readonly Uri _base = new(baseAddress.ToString().TrimEnd('/') + "/admin/v1/");

    public Task<GatewayWaba> CreateWabaAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "wabas", new JsonObject { ["name"] = name }, WabaJsonContext.Default.GatewayWaba, cancellationToken);

    public Task<GatewayPage<GatewayWaba>> ListWabasAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "wabas" + Query(("cursor", cursor), ("limit", limit?.ToString(CultureInfo.InvariantCulture))), null,
            WabaJsonContext.Default.GatewayPageGatewayWaba, cancellationToken);

    /// <summary>A number in the WABA: <paramref name="hostingType"/> "cloud" or "on_premise", <paramref name="upstream"/> "sandbox" or "meta".</summary>
    public Task<GatewayNumber> CreateNumberAsync(string wabaId, string phoneNumber, string hostingType = "cloud", string upstream = "sandbox",
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"wabas/{Uri.EscapeDataString(wabaId)}/phone_numbers",
            new JsonObject { ["phone_number"] = phoneNumber, ["hosting_type"] = hostingType, ["upstream"] = upstream }, WabaJsonContext.Default.GatewayNumber, cancellationToken);

    /// <summary>
    /// A number on Meta's Cloud API: <paramref name="metaPhoneNumberId"/> and <paramref name="metaWabaId"/> from WhatsApp Manager,
    /// <paramref name="accessToken"/> a system-user token (stored encrypted, never returned). Its phone-number id is Meta's.
    /// </summary>
    public Task<GatewayNumber> CreateMetaNumberAsync(string wabaId, string phoneNumber, string metaPhoneNumberId, string metaWabaId, string accessToken,
        string hostingType = "cloud", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"wabas/{Uri.EscapeDataString(wabaId)}/phone_numbers", new JsonObject
        {
            ["phone_number"] = phoneNumber, ["hosting_type"] = hostingType, ["upstream"] = "meta",
            ["meta_phone_number_id"] = metaPhoneNumberId, ["meta_waba_id"] = metaWabaId, ["access_token"] = accessToken,
        }, WabaJsonContext.Default.GatewayNumber, cancellationToken);

    /// <summary>Gives a <c>meta</c> number a new access token (rotated or renewed), and optionally its WABA id at Meta.</summary>
    public Task<GatewayNumber> SetMetaCredentialsAsync(string numberId, string accessToken, string? metaWabaId = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["access_token"] = accessToken };
        if (metaWabaId is not null)
        {
            body["meta_waba_id"] = metaWabaId;
        }
        return SendAsync(HttpMethod.Patch, $"phone_numbers/{Uri.EscapeDataString(numberId)}", body, WabaJsonContext.Default.GatewayNumber, cancellationToken);
    }

    public Task<GatewayPage<GatewayNumber>> ListNumbersAsync(string? wabaId = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "phone_numbers" + Query(("waba_id", wabaId), ("cursor", cursor), ("limit", limit?.ToString(CultureInfo.InvariantCulture))), null,
            WabaJsonContext.Default.GatewayPageGatewayNumber, cancellationToken);

    public Task<GatewayNumber> GetNumberAsync(string numberId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}", null, WabaJsonContext.Default.GatewayNumber, cancellationToken);

    /// <summary>A new API key for the number; its secret is in the answer only.</summary>
    public Task<GatewayApiKeyCreated> CreateApiKeyAsync(string numberId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"phone_numbers/{Uri.EscapeDataString(numberId)}/api_keys", null, WabaJsonContext.Default.GatewayApiKeyCreated, cancellationToken);

    public async Task<IReadOnlyList<GatewayApiKey>> ListApiKeysAsync(string numberId, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}/api_keys", null, WabaJsonContext.Default.GatewayApiKeyList, cancellationToken)
            .ConfigureAwait(false)).Data;

    /// <summary>Revokes a key: the next request with it is refused.</summary>
    public Task RevokeApiKeyAsync(string numberId, string keyId, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"phone_numbers/{Uri.EscapeDataString(numberId)}/api_keys/{Uri.EscapeDataString(keyId)}", null, null, cancellationToken);

    /// <summary>Where the number's events go now; <see langword="null"/> when no webhook is set.</summary>
    public async Task<GatewayEffectiveWebhook?> GetEffectiveWebhookAsync(string numberId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}/webhook", null, WabaJsonContext.Default.GatewayEffectiveWebhook, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (WabaApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Sends a sample event to the number's webhook now and reports the receiver's answer.</summary>
    public Task<GatewayWebhookTest> TestWebhookAsync(string numberId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"phone_numbers/{Uri.EscapeDataString(numberId)}/webhook/test", null, WabaJsonContext.Default.GatewayWebhookTest, cancellationToken);

    public Task<GatewayPage<GatewayDelivery>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = "deliveries" + Query(("number_id", query.NumberId), ("state", query.State), ("from", query.From?.ToString("O", CultureInfo.InvariantCulture)),
            ("to", query.To?.ToString("O", CultureInfo.InvariantCulture)), ("user", query.User), ("order", query.NewestFirst ? "newest" : null),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", query.Cursor));
        return SendAsync(HttpMethod.Get, path, null, WabaJsonContext.Default.GatewayPageGatewayDelivery, cancellationToken);
    }

    public Task<GatewayDelivery> GetDeliveryAsync(string eventId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"deliveries/{Uri.EscapeDataString(eventId)}", null, WabaJsonContext.Default.GatewayDelivery, cancellationToken);

    /// <summary>Delivers one event again, whatever its state.</summary>
    public Task<GatewayReplayResult> ReplayAsync(string eventId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"deliveries/{Uri.EscapeDataString(eventId)}/replay", null, WabaJsonContext.Default.GatewayReplayResult, cancellationToken);

    /// <summary>The number's conversations, latest activity first.</summary>
    public Task<GatewayPage<GatewayConversation>> ListConversationsAsync(string numberId, string? cursor = null, int? limit = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}/conversations"
            + Query(("cursor", cursor), ("limit", limit?.ToString(CultureInfo.InvariantCulture))), null,
            WabaJsonContext.Default.GatewayPageGatewayConversation, cancellationToken);

    /// <summary>One conversation's messages, newest first; <paramref name="user"/> is a phone number or a BSUID.</summary>
    public Task<GatewayConversationPage> ListConversationMessagesAsync(string numberId, string user, string? cursor = null, int? limit = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}/conversations/{Uri.EscapeDataString(user)}"
            + Query(("cursor", cursor), ("limit", limit?.ToString(CultureInfo.InvariantCulture))), null,
            WabaJsonContext.Default.GatewayConversationPage, cancellationToken);

    /// <summary>A simulated user of a sandbox WABA, by phone number or BSUID.</summary>
    public Task<GatewaySandboxUser> GetSandboxUserAsync(string wabaId, string user, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"wabas/{Uri.EscapeDataString(wabaId)}/users/{Uri.EscapeDataString(user)}", null, WabaJsonContext.Default.GatewaySandboxUser, cancellationToken);

    /// <summary>
    /// Changes a simulated user: a <paramref name="username"/> (<c>""</c> removes it), or <paramref name="hideNumber"/>
    /// so that from now on the business sees only their BSUID, as with a WhatsApp user who hides their phone.
    /// </summary>
    public Task<GatewaySandboxUser> UpdateSandboxUserAsync(string wabaId, string user, string? username = null, bool? hideNumber = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject();
        if (username is not null)
        {
            body["username"] = username;
        }
        if (hideNumber is { } hide)
        {
            body["hide_number"] = hide;
        }
        return SendAsync(HttpMethod.Patch, $"wabas/{Uri.EscapeDataString(wabaId)}/users/{Uri.EscapeDataString(user)}", body,
            WabaJsonContext.Default.GatewaySandboxUser, cancellationToken);
    }

    /// <summary>Checks a <c>meta</c> number's setup at Meta (what <c>waba doctor</c> shows).</summary>
    public Task<GatewayDiagnosis> DiagnoseAsync(string numberId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, $"phone_numbers/{Uri.EscapeDataString(numberId)}/diagnosis", null, WabaJsonContext.Default.GatewayDiagnosis, cancellationToken);

    /// <summary>
    /// The number named by any of its ids: the gateway's (<c>pn_…</c>), WhatsApp's phone-number id, or the phone number
    /// itself (with or without +); null when no number matches.
    /// </summary>
    public async Task<GatewayNumber?> FindNumberAsync(string anyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(anyId);
        var digits = new string([.. anyId.Where(char.IsAsciiDigit)]);
        string? cursor = null;
        do
        {
            var page = await ListNumbersAsync(null, cursor, 500, cancellationToken).ConfigureAwait(false);
            var found = page.Data.FirstOrDefault(n => n.Id == anyId || n.PhoneNumberId == anyId || (digits.Length > 0 && n.PhoneNumber == digits));
            if (found is not null)
            {
                return found;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return null;
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? string.Empty : "?" + string.Join('&', present);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonObject? body, JsonTypeInfo<T>? answer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await WabaErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
        if (answer is null)
        {
            return default!;
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return (await JsonSerializer.DeserializeAsync(stream, answer, cancellationToken).ConfigureAwait(false))!;
        }
    }
}
