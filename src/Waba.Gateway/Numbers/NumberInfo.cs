using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Waba.Gateway.Dialects;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Numbers;

/// <summary>
/// Meta's phone-number and WABA nodes: <c>GET /{phone-number-id}?fields=...</c> and <c>GET /{waba-id}?fields=...</c>. Sandbox
/// numbers describe the sandbox honestly (its configured throughput, a green rating, the WABA's name as the verified name,
/// whether it is registered and has a two-step PIN), with every field Meta documents for the node; <c>meta</c> numbers are
/// answered by Meta, and what Meta says of quality, tier and name review is kept as the number's state.
/// </summary>
public sealed class NumberInfo(ITenantStore tenantStore, INumberSettingsStore settingsStore, IAccountStateStore states,
    IOptions<Sandbox.SandboxOptions> sandbox, Meta.MetaGraph meta, TimeProvider time)
{
    /// <summary>What Meta answers for a phone number when no <c>fields</c> are asked for.</summary>
    private static readonly string[] DefaultNumberFields =
        ["verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type", "throughput", "webhook_configuration"];

    private static readonly string[] DefaultWabaFields = ["id", "name", "currency", "timezone_id", "message_template_namespace"];

    /// <summary>The facts of Meta's answer worth keeping as the number's state.</summary>
    private static readonly string[] KeptFields = ["quality_rating", "messaging_limit_tier", "name_status", "status", "code_verification_status", "platform_type", "verified_name"];

    public async Task<IResult> DescribeNumberAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            var (answer, error) = await meta.CallAsync(channel, HttpMethod.Get, $"{channel.PhoneNumberId}{http.Request.QueryString}", null, http.RequestAborted);
            if (answer is null)
            {
                return DialectResults.Error(HostingType.Cloud, error!);
            }
            if (answer.Succeeded)
            {
                await KeepAsync(channel, answer.Body, http.RequestAborted);
            }
            return answer.Succeeded
                ? Results.Text(answer.Body, "application/json", statusCode: answer.Status)
                : DialectResults.Error(HostingType.Cloud, Meta.MetaGraph.ErrorOf(answer));
        }
        var (node, unknown) = await DescribeSandboxNumberAsync(channel, Fields(http), baseUrl: $"{http.Request.Scheme}://{http.Request.Host}", http.RequestAborted);
        return unknown is not null ? NonexistingField(unknown, "WhatsAppBusinessPhoneNumber") : Results.Text(node!.ToJsonString(), "application/json");
    }

    /// <summary>A sandbox number as Meta's phone-number node, with the fields asked for (Meta's default set when none).</summary>
    /// <returns>The node, or the first field Meta's node does not have.</returns>
    public async Task<(JsonObject? Node, string? UnknownField)> DescribeSandboxNumberAsync(Channel channel, IReadOnlyList<string> fields, string baseUrl,
        CancellationToken cancellationToken)
    {
        var waba = await tenantStore.FindWabaAsync(channel.WabaId, cancellationToken);
        var settings = await settingsStore.FindAsync(channel.Id, cancellationToken);
        var registered = channel.Registered;
        var node = new JsonObject();
        foreach (var field in fields.Count > 0 ? fields : [.. DefaultNumberFields])
        {
            JsonNode? value = field switch
            {
                "id" => channel.PhoneNumberId,
                "display_phone_number" => "+" + channel.PhoneNumber,
                "verified_name" => waba?.Name ?? channel.PhoneNumber,
                "quality_rating" => "GREEN",
                "quality_score" => new JsonObject { ["score"] = "GREEN" },
                "code_verification_status" => "VERIFIED",
                "platform_type" => !registered ? "NOT_APPLICABLE" : channel.HostingType == HostingType.Cloud ? "CLOUD_API" : "ON_PREMISE",
                "name_status" => "APPROVED",
                "new_name_status" => "NONE",
                "status" => registered ? "CONNECTED" : "DISCONNECTED",
                "throughput" => new JsonObject { ["level"] = !registered ? "NOT_APPLICABLE" : sandbox.Value.Throughput > 80 ? "HIGH" : "STANDARD" },
                "messaging_limit_tier" => "TIER_UNLIMITED",
                "account_mode" => "SANDBOX",
                "is_official_business_account" => false,
                "is_on_biz_app" => false,
                "is_pin_enabled" => settings?.PinHash is not null,
                "is_preverified_number" => false,
                "search_visibility" => "NON_VISIBLE",
                "eligibility_for_api_business_global_search" => "NON_ELIGIBLE_UNDEFINED_COUNTRY",
                "health_status" => new JsonObject
                {
                    ["can_send_message"] = registered ? "AVAILABLE" : "BLOCKED",
                    ["entities"] = new JsonArray(new JsonObject { ["entity_type"] = "PHONE_NUMBER", ["id"] = channel.PhoneNumberId, ["can_send_message"] = registered ? "AVAILABLE" : "BLOCKED" }),
                },
                "webhook_configuration" => new JsonObject { ["application"] = $"{baseUrl}/waba_webhook" },
                "conversational_automation" => new JsonObject { ["enable_welcome_message"] = false, ["prompts"] = new JsonArray(), ["commands"] = new JsonArray() },
                "certificate" or "new_certificate" => JsonValue.Create(""),
                "last_onboarded_time" => channel.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
                "country_code" => JsonValue.Create(""),
                "country_dial_code" => JsonValue.Create(""),
                _ => null,
            };
            if (value is null)
            {
                return (null, field);
            }
            node[field] = value;
        }
        node["id"] = channel.PhoneNumberId;
        return (node, null);
    }

    /// <summary><c>GET /{waba-id}</c>: Meta's answer for a <c>meta</c> number's WABA (asked by its id at Meta), else the sandbox's.</summary>
    public async Task<IResult> DescribeWabaAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            var metaWabaId = await meta.MetaWabaIdAsync(channel, http.RequestAborted);
            return await meta.RelayAsync(http, HttpMethod.Get, $"{metaWabaId}{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var waba = await tenantStore.FindWabaAsync(channel.WabaId, http.RequestAborted);
        var node = new JsonObject();
        var fields = Fields(http);
        foreach (var field in fields.Count > 0 ? fields : [.. DefaultWabaFields])
        {
            JsonNode? value = field switch
            {
                "id" => channel.WabaId,
                "name" => waba?.Name ?? channel.WabaId,
                "currency" => "USD",
                "timezone_id" => "1",
                "message_template_namespace" => Templates.TemplateReview.NamespaceOf(channel.WabaId),
                "account_review_status" => "APPROVED",
                "business_verification_status" => "verified",
                "ownership_type" => "SELF",
                "status" => "ACTIVE",
                "country" => JsonValue.Create(""),
                "health_status" => new JsonObject
                {
                    ["can_send_message"] = "AVAILABLE",
                    ["entities"] = new JsonArray(new JsonObject { ["entity_type"] = "WABA", ["id"] = channel.WabaId, ["can_send_message"] = "AVAILABLE" }),
                },
                _ => null,
            };
            if (value is null)
            {
                return NonexistingField(field, "WhatsAppBusinessAccount");
            }
            node[field] = value;
        }
        node["id"] = channel.WabaId;
        return Results.Text(node.ToJsonString(), "application/json");
    }

    /// <summary><c>GET /{waba-id}/phone_numbers</c>: Meta's list for a <c>meta</c> number's WABA, else the sandbox WABA's numbers, paged.</summary>
    public async Task<IResult> ListWabaNumbersAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            var metaWabaId = await meta.MetaWabaIdAsync(channel, http.RequestAborted);
            return await meta.RelayAsync(http, HttpMethod.Get, $"{metaWabaId}/phone_numbers{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var limit = int.TryParse(http.Request.Query["limit"], out var asked) && asked is > 0 and <= 100 ? asked : 25;
        var after = Dialects.Graph.GraphCursor.Decode(http.Request.Query["after"]);
        var numbers = await tenantStore.ListChannelsAsync(channel.WabaId, after, limit + 1, http.RequestAborted);
        var data = new JsonArray();
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        foreach (var number in numbers.Take(limit))
        {
            var (node, unknown) = await DescribeSandboxNumberAsync(number, Fields(http), baseUrl, http.RequestAborted);
            if (unknown is not null)
            {
                return NonexistingField(unknown, "WhatsAppBusinessPhoneNumber");
            }
            data.Add(node);
        }
        var page = numbers.Take(limit).ToList();
        var paging = new JsonObject();
        if (page.Count > 0)
        {
            paging["cursors"] = new JsonObject
            {
                ["before"] = Dialects.Graph.GraphCursor.Encode(page[0].Id),
                ["after"] = Dialects.Graph.GraphCursor.Encode(page[^1].Id),
            };
        }
        if (numbers.Count > limit)
        {
            paging["next"] = $"{baseUrl}{http.Request.Path}?limit={limit}&after={Uri.EscapeDataString(Dialects.Graph.GraphCursor.Encode(page[^1].Id))}";
        }
        return Results.Text(new JsonObject { ["data"] = data, ["paging"] = paging }.ToJsonString(), "application/json");
    }

    /// <summary>Keeps what Meta said of the number's quality, tier and name review as its state.</summary>
    private async Task KeepAsync(Channel channel, string answer, CancellationToken cancellationToken)
    {
        if (JsonNode.Parse(answer) is not JsonObject node)
        {
            return;
        }
        var facts = new JsonObject();
        foreach (var field in KeptFields.Where(node.ContainsKey))
        {
            facts[field] = node[field]?.DeepClone();
        }
        if (facts.Count > 0)
        {
            await states.SaveAsync([new AccountStatePatch(AccountStateScopes.Number, channel.Id, facts)], time.GetUtcNow(), cancellationToken);
        }
    }

    private static List<string> Fields(HttpContext http) =>
        [.. http.Request.Query["fields"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static IResult NonexistingField(string field, string nodeType) =>
        DialectResults.Error(HostingType.Cloud, ApiError.Worded(100, $"(#100) Tried accessing nonexisting field ({field}) on node type ({nodeType})",
            $"The {nodeType} node has no field '{field}'."));
}
