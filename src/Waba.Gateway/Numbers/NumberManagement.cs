using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Numbers;

/// <summary>
/// Number management on Graph: <c>/register</c>, <c>/deregister</c>, <c>/request_code</c>, <c>/verify_code</c>, two-step
/// verification (<c>POST /{phone-number-id}</c> with a <c>pin</c>), <c>/settings</c> and the WABA's <c>/subscribed_apps</c>.
/// A <c>meta</c> number's calls go to Meta with its token and come back as Meta answered. A sandbox number is simulated
/// as Meta behaves: it starts registered; <c>register</c> checks the two-step PIN (the first PIN given becomes it);
/// a deregistered number's sends fail with 133010 until it is registered again; the verification code the sandbox
/// "sends" is always <c>000000</c>.
/// </summary>
public sealed class NumberManagement(ITenantStore tenantStore, INumberSettingsStore settingsStore, Meta.MetaGraph meta, TimeProvider time)
{
    /// <summary>The code <c>/request_code</c> "sends" to a sandbox number.</summary>
    public const string SandboxVerificationCode = "000000";

    public async Task<IResult> RegisterAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, $"{channel.PhoneNumberId}/register");
        }
        var (root, invalid) = await ReadAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }
        var pin = string.Empty;
        if ((MessagingProduct(root) ?? Pin(root, out pin)) is { } error)
        {
            return DialectResults.Error(HostingType.Cloud, error);
        }
        var settings = await settingsStore.FindAsync(channel.Id, http.RequestAborted);
        if (settings?.PinHash is { } expected)
        {
            if (!CryptographicOperations.FixedTimeEquals(HashPin(pin), expected))
            {
                return DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.PinMismatch,
                    "The PIN is not this number's two-step verification PIN. Set a new one with POST /{phone-number-id} {\"pin\": ...} if it is lost."));
            }
        }
        else
        {
            // Meta: without two-step verification, the PIN given at registration becomes the number's PIN.
            await settingsStore.SavePinAsync(channel.Id, HashPin(pin), http.RequestAborted);
        }
        await tenantStore.SetChannelRegistrationAsync(channel.Id, null, http.RequestAborted);
        return Success();
    }

    public async Task<IResult> DeregisterAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, $"{channel.PhoneNumberId}/deregister");
        }
        await tenantStore.SetChannelRegistrationAsync(channel.Id, channel.DeregisteredAt ?? time.GetUtcNow(), http.RequestAborted);
        return Success();
    }

    public async Task<IResult> RequestCodeAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, $"{channel.PhoneNumberId}/request_code");
        }
        var (root, invalid) = await ReadAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }
        var error = Fields.OneOf(root, "code_method", "code_method", ["SMS", "VOICE"], out _)
            ?? Fields.String(root, "language", "language", 15, out _);
        return error is null ? Success() : DialectResults.Error(HostingType.Cloud, error);
    }

    public async Task<IResult> VerifyCodeAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, $"{channel.PhoneNumberId}/verify_code");
        }
        var (root, invalid) = await ReadAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }
        if (Fields.String(root, "code", "code", 10, out var code) is { } error)
        {
            return DialectResults.Error(HostingType.Cloud, error);
        }
        return code == SandboxVerificationCode
            ? Success()
            : DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.VerificationCodeWrong,
                $"code: not the code sent; the sandbox's verification code is always {SandboxVerificationCode}."));
    }

    /// <summary><c>POST /{phone-number-id}</c> <c>{"pin": "123456"}</c>: sets the two-step verification PIN.</summary>
    public async Task<IResult> SetTwoStepPinAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, channel.PhoneNumberId);
        }
        var (root, invalid) = await ReadAsync(http);
        if (invalid is not null)
        {
            return invalid;
        }
        if (Pin(root, out var pin) is { } error)
        {
            return DialectResults.Error(HostingType.Cloud, error);
        }
        await settingsStore.SavePinAsync(channel.Id, HashPin(pin), http.RequestAborted);
        return Success();
    }

    public async Task<IResult> GetSettingsAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await meta.RelayAsync(http, HttpMethod.Get, $"{channel.PhoneNumberId}/settings{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var settings = Defaults();
        foreach (var (name, value) in (await settingsStore.FindAsync(channel.Id, http.RequestAborted))?.Settings ?? [])
        {
            settings[name] = value?.DeepClone();
        }
        return Results.Text(settings.ToJsonString(), "application/json");
    }

    /// <summary>Sets the members given (<c>calling</c>, <c>storage_configuration</c>, …); members not given keep their value.</summary>
    public async Task<IResult> UpdateSettingsAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await RelayBodyAsync(http, $"{channel.PhoneNumberId}/settings");
        }
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.Cloud);
        if (invalid is not null)
        {
            return invalid;
        }
        using (document)
        {
            var stored = (await settingsStore.FindAsync(channel.Id, http.RequestAborted))?.Settings ?? [];
            foreach (var member in document!.RootElement.EnumerateObject().Where(m => m.Name != "messaging_product"))
            {
                stored[member.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
            await settingsStore.SaveSettingsAsync(channel.Id, stored, http.RequestAborted);
        }
        return Success();
    }

    /// <summary>
    /// <c>GET /{waba-id}/subscribed_apps</c>: a <c>meta</c> number's WABA is asked at Meta; a sandbox WABA is subscribed to
    /// the gateway itself, which is where its events come from.
    /// </summary>
    public async Task<IResult> ListSubscribedAppsAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            var metaWabaId = await meta.MetaWabaIdAsync(channel, http.RequestAborted);
            return await meta.RelayAsync(http, HttpMethod.Get, $"{metaWabaId}/subscribed_apps{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var app = new JsonObject
        {
            ["whatsapp_business_api_data"] = new JsonObject { ["id"] = "0", ["link"] = $"{http.Request.Scheme}://{http.Request.Host}/sandbox", ["name"] = "Waba Gateway sandbox" },
        };
        return Results.Text(new JsonObject { ["data"] = new JsonArray(app) }.ToJsonString(), "application/json");
    }

    public async Task<IResult> SubscribeAppAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            var metaWabaId = await meta.MetaWabaIdAsync(channel, http.RequestAborted);
            return await RelayBodyAsync(http, $"{metaWabaId}/subscribed_apps");
        }
        return Success();
    }

    private async Task<IResult> RelayBodyAsync(HttpContext http, string path)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        return await meta.RelayAsync(http, HttpMethod.Post, path, body.Length == 0 ? null : body, HostingType.Cloud);
    }

    private static async Task<(JsonElement Root, IResult? Invalid)> ReadAsync(HttpContext http)
    {
        var (document, invalid) = await DialectRequests.ReadObjectAsync(http, HostingType.Cloud);
        if (invalid is not null)
        {
            return (default, invalid);
        }
        using (document)
        {
            return (document!.RootElement.Clone(), null);
        }
    }

    private static ApiError? MessagingProduct(JsonElement root) => Fields.OneOf(root, "messaging_product", "messaging_product", ["whatsapp"], out _);

    /// <summary>Meta's PINs are six digits.</summary>
    private static ApiError? Pin(JsonElement root, out string pin)
    {
        if (Fields.String(root, "pin", "pin", 6, out pin) is { } error)
        {
            return error;
        }
        return pin.Length == 6 && pin.All(char.IsAsciiDigit) ? null : ApiError.Invalid("pin", "must be 6 digits");
    }

    private static byte[] HashPin(string pin) => SHA256.HashData(Encoding.UTF8.GetBytes("waba-two-step-pin:" + pin));

    private static JsonObject Defaults() => new()
    {
        ["calling"] = new JsonObject { ["status"] = "DISABLED", ["call_icon_visibility"] = "DEFAULT", ["callback_permission_status"] = "DISABLED" },
        ["storage_configuration"] = new JsonObject { ["status"] = "DEFAULT" },
    };

    private static IResult Success() => Results.Json(new SuccessResponse(true), DialectJsonContext.Relaxed.SuccessResponse);
}
