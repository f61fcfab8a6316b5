using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Meta;

/// <summary>One thing checked: <c>ok</c>, <c>warning</c>, <c>error</c> or <c>skipped</c> (it could not be checked), what was found, and what to do.</summary>
public sealed record DiagnosisCheck(string Name, string Status, string Summary, string? Fix = null);

/// <param name="Healthy">No check found an error.</param>
public sealed record Diagnosis(string NumberId, string PhoneNumberId, string Upstream, bool Healthy, DateTimeOffset CheckedAt, IReadOnlyList<DiagnosisCheck> Checks);

/// <summary>
/// <c>waba doctor</c>: for a <c>meta</c> number, checks what breaks first integrations, each named with what to do — the
/// access token (valid, not about to expire, the WhatsApp scopes on this WABA, via Meta's <c>debug_token</c>); the number
/// (registered on the Cloud API, its display name approved); the app's subscription to the WABA and to the <c>messages</c>
/// field with a callback at this gateway; the verify token (Meta's last handshake here) and the app secret (Meta accepts
/// the app token made with it, and the last webhook's signature verified); when Meta's last webhook for the number
/// arrived; how long the Graph version has left.
/// </summary>
public sealed class MetaDiagnosis(MetaGraph graph, IMetaStore metaStore, IOptions<MetaOptions> options, TimeProvider time)
{
    private const string Ok = "ok", Warning = "warning", Error = "error", Skipped = "skipped";
    private static readonly TimeSpan TokenExpirySoon = TimeSpan.FromDays(7);
    private static readonly TimeSpan VersionExpirySoon = TimeSpan.FromDays(90);
    private static readonly TimeSpan WebhookQuiet = TimeSpan.FromDays(7);
    private static readonly string[] WhatsAppScopes = ["whatsapp_business_messaging", "whatsapp_business_management"];

    public async Task<Diagnosis> DiagnoseAsync(Channel channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!MetaGraph.Serves(channel))
        {
            return new Diagnosis(channel.Id, channel.PhoneNumberId, channel.Upstream, true, now,
                [new DiagnosisCheck("upstream", Ok, $"A {channel.Upstream} number: nothing at Meta to check.")]);
        }
        var checks = new List<DiagnosisCheck>();
        var metaWabaId = await graph.MetaWabaIdAsync(channel, cancellationToken);
        var token = await graph.AccessTokenAsync(channel, cancellationToken);
        string? appId = null;
        if (token is null || metaWabaId is null)
        {
            checks.Add(new DiagnosisCheck("access_token", Error, "The number has no Meta credentials.",
                "Create the number again with meta_phone_number_id, meta_waba_id and access_token (docs/meta.md)."));
        }
        else
        {
            appId = await CheckTokenAsync(token, metaWabaId, now, checks, cancellationToken);
            await CheckNumberAsync(channel, checks, cancellationToken);
            await CheckSubscriptionAsync(channel, metaWabaId, appId, checks, cancellationToken);
        }
        var appTokenAccepted = await CheckCallbackAsync(appId, checks, cancellationToken);
        await CheckWebhookLogAsync(channel, now, appTokenAccepted, checks, cancellationToken);
        CheckGraphVersion(now, checks);
        return new Diagnosis(channel.Id, channel.PhoneNumberId, channel.Upstream, checks.TrueForAll(c => c.Status != Error), now, checks);
    }

    /// <returns>The token's app id, when Meta said.</returns>
    private async Task<string?> CheckTokenAsync(string token, string metaWabaId, DateTimeOffset now, List<DiagnosisCheck> checks, CancellationToken cancellationToken)
    {
        var (answer, error) = await graph.CallWithTokenAsync(token, HttpMethod.Get, graph.Url($"debug_token?input_token={Uri.EscapeDataString(token)}"), null, cancellationToken);
        if (answer is null)
        {
            checks.Add(new DiagnosisCheck("access_token", Error, $"Meta could not be asked: {error!.Details}", "Check Meta:BaseUrl and the network path to graph.facebook.com."));
            return null;
        }
        if (!answer.Succeeded || Data(answer.Body) is not { } data)
        {
            var refused = MetaGraph.ErrorOf(answer);
            checks.Add(new DiagnosisCheck("access_token", Error, $"Meta refused the token: {refused.FromUpstream?.Message ?? refused.Details}",
                "Create a new system-user token in Business Settings → System users, with whatsapp_business_messaging and whatsapp_business_management, and set it on the number: PATCH /admin/v1/phone_numbers/{id} {\"access_token\": ...}."));
            return null;
        }
        var appId = Str(data, "app_id");
        if (!(data.TryGetProperty("is_valid", out var valid) && valid.ValueKind == JsonValueKind.True))
        {
            var why = data.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? Str(e, "message") : null;
            checks.Add(new DiagnosisCheck("access_token", Error, $"The token is not valid{(why is null ? "" : $": {why}")}.",
                "Create a new system-user token (Business Settings → System users → Generate token) and set it on the number: PATCH /admin/v1/phone_numbers/{id} {\"access_token\": ...}."));
            return appId;
        }
        var expiresAt = data.TryGetProperty("expires_at", out var expires) && expires.TryGetInt64(out var seconds) && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        checks.Add(expiresAt is null
            ? new DiagnosisCheck("access_token", Ok, $"Valid and never expires ({Str(data, "type") ?? "token"} of app {appId ?? "?"}).")
            : expiresAt <= now + TokenExpirySoon
                ? new DiagnosisCheck("access_token", expiresAt <= now ? Error : Warning,
                    $"The token expires {expiresAt.Value:yyyy-MM-dd HH:mm} UTC.",
                    "Use a system-user token that never expires (Business Settings → System users) instead of a temporary one.")
                : new DiagnosisCheck("access_token", Ok, $"Valid until {expiresAt.Value:yyyy-MM-dd} (app {appId ?? "?"})."));

        var scopes = data.TryGetProperty("scopes", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(s => s.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var missing = WhatsAppScopes.Where(s => !scopes.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            checks.Add(new DiagnosisCheck("token_scopes", Error, $"The token lacks {string.Join(" and ", missing)}.",
                "Generate the system-user token again with whatsapp_business_messaging and whatsapp_business_management ticked."));
        }
        else if (GrantedTargets(data, "whatsapp_business_messaging") is { } targets && !targets.Contains(metaWabaId))
        {
            checks.Add(new DiagnosisCheck("token_scopes", Error, $"The token's whatsapp_business_messaging scope does not include WABA {metaWabaId}.",
                $"Assign WABA {metaWabaId} to the system user (Business Settings → System users → Assign assets) and generate the token again."));
        }
        else
        {
            checks.Add(new DiagnosisCheck("token_scopes", Ok, $"whatsapp_business_messaging and whatsapp_business_management, on WABA {metaWabaId}."));
        }
        return appId;
    }

    private async Task CheckNumberAsync(Channel channel, List<DiagnosisCheck> checks, CancellationToken cancellationToken)
    {
        var (answer, error) = await graph.CallAsync(channel, HttpMethod.Get,
            $"{channel.PhoneNumberId}?fields=status,platform_type,code_verification_status,name_status,verified_name,display_phone_number,quality_rating,messaging_limit_tier",
            null, cancellationToken);
        if (answer is null || !answer.Succeeded)
        {
            var why = answer is null ? error!.Details : MetaGraph.ErrorOf(answer).FromUpstream?.Message ?? "refused";
            checks.Add(new DiagnosisCheck("number_registered", Error, $"Meta does not show phone number {channel.PhoneNumberId} to this token: {why}",
                "Check meta_phone_number_id (WhatsApp Manager → Phone numbers) and that the token's system user has the WABA assigned."));
            return;
        }
        using var document = JsonDocument.Parse(answer.Body);
        var node = document.RootElement;
        var platform = Str(node, "platform_type");
        var status = Str(node, "status");
        checks.Add(platform == "CLOUD_API" && status is null or "CONNECTED"
            ? new DiagnosisCheck("number_registered", Ok, $"{Str(node, "display_phone_number") ?? channel.PhoneNumber} is registered on the Cloud API{(status is null ? "" : $" ({status})")}.")
            : new DiagnosisCheck("number_registered", Error,
                $"The number is not registered on the Cloud API (platform_type {platform ?? "?"}, status {status ?? "?"}); sends fail with 133010.",
                $"Register it: POST /{channel.PhoneNumberId}/register {{\"messaging_product\": \"whatsapp\", \"pin\": \"<6 digits>\"}} (through this gateway or at Meta)."));
        var name = Str(node, "name_status");
        checks.Add(name is null or "APPROVED" or "AVAILABLE_WITHOUT_REVIEW"
            ? new DiagnosisCheck("display_name", Ok, $"\"{Str(node, "verified_name")}\" {(name is null ? "" : $"({name})")}.".Replace(" .", ".", StringComparison.Ordinal))
            : new DiagnosisCheck("display_name", name is "PENDING_REVIEW" ? Warning : Error, $"The display name \"{Str(node, "verified_name")}\" is {name}.",
                "Until the display name is approved the number sends at a low limit; edit it in WhatsApp Manager → Phone numbers → Profile."));
    }

    private async Task CheckSubscriptionAsync(Channel channel, string metaWabaId, string? appId, List<DiagnosisCheck> checks, CancellationToken cancellationToken)
    {
        var (answer, error) = await graph.CallAsync(channel, HttpMethod.Get, $"{metaWabaId}/subscribed_apps", null, cancellationToken);
        if (answer is null || !answer.Succeeded)
        {
            checks.Add(new DiagnosisCheck("app_subscribed", Error, $"Meta did not list the WABA's subscribed apps: {(answer is null ? error!.Details : MetaGraph.ErrorOf(answer).FromUpstream?.Message)}",
                $"Check meta_waba_id ({metaWabaId}) and the token's access to that WABA."));
            return;
        }
        using var document = JsonDocument.Parse(answer.Body);
        var apps = document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray().ToList() : [];
        var ours = apps.FirstOrDefault(a => a.TryGetProperty("whatsapp_business_api_data", out var d) && (appId is null || Str(d, "id") == appId));
        if (ours.ValueKind == JsonValueKind.Undefined)
        {
            checks.Add(new DiagnosisCheck("app_subscribed", Error,
                appId is null ? "No app is subscribed to the WABA: Meta sends it no webhooks." : $"App {appId} is not subscribed to WABA {metaWabaId}: Meta sends it no webhooks.",
                $"Subscribe it: POST /{channel.WabaId}/subscribed_apps through this gateway (or POST /{metaWabaId}/subscribed_apps at Meta)."));
            return;
        }
        var overrideUri = Str(ours, "override_callback_uri");
        if (overrideUri is not null && !PointsHere(overrideUri))
        {
            checks.Add(new DiagnosisCheck("app_subscribed", Error, $"The WABA's subscription overrides the callback with {overrideUri}, which is not this gateway's /meta/webhook.",
                $"Subscribe again without override_callback_uri, or with {ExpectedCallback()}."));
            return;
        }
        checks.Add(new DiagnosisCheck("app_subscribed", Ok, $"App {Str(ours.GetProperty("whatsapp_business_api_data"), "name") ?? appId} is subscribed to WABA {metaWabaId}."));
    }

    /// <summary>The app's webhook subscription (callback URL, active, the messages field), read with the app's own token.</summary>
    /// <returns>Whether Meta accepted the app token made of the app id and <c>Meta:AppSecret</c> (null: not tried).</returns>
    private async Task<bool?> CheckCallbackAsync(string? appId, List<DiagnosisCheck> checks, CancellationToken cancellationToken)
    {
        var secret = options.Value.AppSecret;
        if (string.IsNullOrEmpty(secret))
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Skipped, "Without Meta:AppSecret the app's subscription cannot be read."));
            return null;
        }
        if (appId is null)
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Skipped, "The token did not name its app, so the app's subscription cannot be read."));
            return null;
        }
        var (answer, error) = await graph.CallWithTokenAsync($"{appId}|{secret}", HttpMethod.Get, graph.Url($"{appId}/subscriptions"), null, cancellationToken);
        if (answer is null)
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Skipped, $"Meta could not be asked: {error!.Details}"));
            return null;
        }
        if (!answer.Succeeded)
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Skipped, $"The app's subscription could not be read: Meta refused the app token ({MetaGraph.ErrorOf(answer).FromUpstream?.Message})."));
            return false;
        }
        using var document = JsonDocument.Parse(answer.Body);
        var subscription = (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.EnumerateArray() : default)
            .FirstOrDefault(s => Str(s, "object") == "whatsapp_business_account");
        if (subscription.ValueKind == JsonValueKind.Undefined)
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Error, "The app has no WhatsApp Business Account webhook.",
                $"App Dashboard → WhatsApp → Configuration → Webhook: callback {ExpectedCallback()}, verify token = Meta:VerifyToken, and subscribe to messages."));
            return true;
        }
        var callback = Str(subscription, "callback_url") ?? "";
        var fields = subscription.TryGetProperty("fields", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(f => f.ValueKind == JsonValueKind.Object ? Str(f, "name") : f.GetString()).OfType<string>().ToList()
            : [];
        var active = !subscription.TryGetProperty("active", out var a) || a.ValueKind != JsonValueKind.False;
        if (!PointsHere(callback))
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Error, $"Meta sends webhooks to {callback}, not to this gateway's {ExpectedCallback()}.",
                $"App Dashboard → WhatsApp → Configuration → Webhook → Edit: callback {ExpectedCallback()} with the verify token Meta:VerifyToken."));
        }
        else if (!fields.Contains("messages"))
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Error, $"The callback is right but the app is not subscribed to the messages field (fields: {string.Join(", ", fields)}).",
                "App Dashboard → WhatsApp → Configuration → Webhook fields: subscribe to messages (and account_update, message_template_status_update, …)."));
        }
        else if (!active)
        {
            checks.Add(new DiagnosisCheck("webhook_callback", Error, "The app's webhook subscription is inactive.", "Verify and save the callback again in the App Dashboard."));
        }
        else
        {
            checks.Add(new DiagnosisCheck("webhook_callback", options.Value.PublicUrl is { Length: > 0 } ? Ok : Warning,
                $"Meta sends {string.Join(", ", fields)} to {callback}."
                + (options.Value.PublicUrl is { Length: > 0 } ? "" : " (Set Meta:PublicUrl to check that host is this gateway's.)")));
        }
        return true;
    }

    private async Task CheckWebhookLogAsync(Channel channel, DateTimeOffset now, bool? appTokenAccepted, List<DiagnosisCheck> checks, CancellationToken cancellationToken)
    {
        var numberKey = WebhookLogKeys.Number(channel.Id);
        var log = await metaStore.ReadWebhookLogAsync(
            [WebhookLogKeys.Verified, WebhookLogKeys.VerifyRefused, WebhookLogKeys.SignedWebhook, WebhookLogKeys.BadSignature, numberKey], cancellationToken);
        log.TryGetValue(WebhookLogKeys.Verified, out var verified);
        log.TryGetValue(WebhookLogKeys.VerifyRefused, out var refused);
        checks.Add(string.IsNullOrEmpty(options.Value.VerifyToken)
            ? new DiagnosisCheck("verify_token", Error, "Meta:VerifyToken is not set, so Meta's verification handshake is always refused.",
                "Set Meta:VerifyToken to the string you enter as the verify token in the App Dashboard.")
            : refused is not null && (verified is null || refused.At > verified.At)
                ? new DiagnosisCheck("verify_token", Error, $"The last verification handshake ({refused.At:yyyy-MM-dd HH:mm} UTC) was refused: {refused.Detail}.",
                    "Enter exactly Meta:VerifyToken as the verify token in the App Dashboard and save the callback again.")
                : verified is not null
                    ? new DiagnosisCheck("verify_token", Ok, $"Meta's last verification handshake ({verified.At:yyyy-MM-dd HH:mm} UTC) matched.")
                    : new DiagnosisCheck("verify_token", Warning, "No verification handshake has reached this gateway yet.",
                        $"Save the callback {ExpectedCallback()} in the App Dashboard; Meta verifies it then."));

        log.TryGetValue(WebhookLogKeys.SignedWebhook, out var signed);
        log.TryGetValue(WebhookLogKeys.BadSignature, out var bad);
        const string FindSecret = "Meta:AppSecret must be the secret of the app Meta sends from (App Dashboard → App settings → Basic → App secret).";
        checks.Add(string.IsNullOrEmpty(options.Value.AppSecret)
            ? new DiagnosisCheck("app_secret", Error, "Meta:AppSecret is not set, so /meta/webhook is off and nothing Meta sends is received.",
                "Set Meta:AppSecret to the app's secret (App Dashboard → App settings → Basic).")
            : appTokenAccepted == false
                ? new DiagnosisCheck("app_secret", Error, "Meta refused the app token made of the app's id and Meta:AppSecret: the secret is not this app's.", FindSecret)
                : bad is not null && (signed is null || bad.At > signed.At)
                    ? new DiagnosisCheck("app_secret", Error, $"The last webhook that reached /meta/webhook ({bad.At:yyyy-MM-dd HH:mm} UTC) was refused: {bad.Detail}.", FindSecret)
                    : signed is not null
                        ? new DiagnosisCheck("app_secret", Ok, $"The last webhook from Meta ({signed.At:yyyy-MM-dd HH:mm} UTC) verified with Meta:AppSecret"
                            + (appTokenAccepted == true ? ", and Meta accepts the app token made with it." : "."))
                        : appTokenAccepted == true
                            ? new DiagnosisCheck("app_secret", Ok, "Meta accepts the app token made with Meta:AppSecret (no webhook has arrived yet to verify).")
                            : new DiagnosisCheck("app_secret", Warning, "No webhook from Meta has reached this gateway yet, so the app secret is unproven.",
                                "Send a message to the number from a phone; its webhook proves the secret."));
        checks.Add(log.TryGetValue(numberKey, out var last)
            ? new DiagnosisCheck("last_webhook", now - last.At > WebhookQuiet ? Warning : Ok,
                $"Meta's last webhook for this number arrived {last.At:yyyy-MM-dd HH:mm} UTC.",
                now - last.At > WebhookQuiet ? "A week without webhooks: check the subscription above, or send the number a message." : null)
            : new DiagnosisCheck("last_webhook", Warning, "No webhook from Meta for this number has arrived yet.",
                "Send a message to the number from a phone and check again."));
    }

    private void CheckGraphVersion(DateTimeOffset now, List<DiagnosisCheck> checks)
    {
        var version = graph.Version;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        checks.Add(GraphVersions.ExpiresOn(version) is { } expiry
            ? expiry <= today
                ? new DiagnosisCheck("graph_version", Error, $"Meta:GraphVersion {version} expired on {expiry:yyyy-MM-dd}: Meta refuses calls naming it.",
                    $"Set Meta:GraphVersion to {GraphVersions.Latest} (or leave it unset).")
                : expiry.ToDateTime(TimeOnly.MinValue) - now.UtcDateTime < VersionExpirySoon
                    ? new DiagnosisCheck("graph_version", Warning, $"Meta:GraphVersion {version} expires on {expiry:yyyy-MM-dd}.",
                        $"Move to {GraphVersions.Latest} before then (read Meta's changelog for what changes).")
                    : new DiagnosisCheck("graph_version", Ok, $"{version}, available until {expiry:yyyy-MM-dd}.")
            : new DiagnosisCheck("graph_version", Ok, $"{version}: no expiry announced yet."));
    }

    private bool PointsHere(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.AbsolutePath.TrimEnd('/').EndsWith("/meta/webhook", StringComparison.Ordinal)
        && (options.Value.PublicUrl is not { Length: > 0 } publicUrl
            || Uri.TryCreate(publicUrl, UriKind.Absolute, out var mine) && string.Equals(mine.Host, uri.Host, StringComparison.OrdinalIgnoreCase));

    private string ExpectedCallback() => $"{(options.Value.PublicUrl is { Length: > 0 } url ? url.TrimEnd('/') : "https://<this gateway>")}/meta/webhook";

    private static JsonElement? Data(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The assets a scope is granted on (<c>granular_scopes</c>), or null when Meta lists none (the scope covers every asset).</summary>
    private static HashSet<string>? GrantedTargets(JsonElement data, string scope)
    {
        if (!data.TryGetProperty("granular_scopes", out var granular) || granular.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var entry = granular.EnumerateArray().FirstOrDefault(g => Str(g, "scope") == scope);
        return entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("target_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.Number ? i.GetInt64().ToString(CultureInfo.InvariantCulture) : i.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : null;
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
