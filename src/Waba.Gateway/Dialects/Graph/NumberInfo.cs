using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>
/// Meta's phone-number node: <c>GET /{version}/{phone-number-id}?fields=display_phone_number,verified_name,quality_rating,throughput</c>.
/// Sandbox numbers describe the sandbox honestly (its configured throughput, a green rating, the WABA's name as the
/// verified name); <c>meta</c> numbers are answered by Meta.
/// </summary>
public sealed class NumberInfo(Tenancy.ITenantStore tenantStore, IOptions<Sandbox.SandboxOptions> sandbox, Meta.MetaGraph meta)
{
    private static readonly string[] DefaultFields = ["verified_name", "code_verification_status", "display_phone_number", "quality_rating", "platform_type", "throughput"];

    public async Task<IResult> DescribeAsync(HttpContext http)
    {
        var channel = http.Channel();
        if (Meta.MetaGraph.Serves(channel))
        {
            return await meta.RelayAsync(http, HttpMethod.Get, $"{channel.PhoneNumberId}{http.Request.QueryString}", null, HostingType.Cloud);
        }
        var requested = http.Request.Query["fields"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var waba = await tenantStore.FindWabaAsync(channel.WabaId, http.RequestAborted);
        var node = new JsonObject();
        foreach (var field in requested.Length > 0 ? requested : DefaultFields)
        {
            JsonNode? value = field switch
            {
                "display_phone_number" => "+" + channel.PhoneNumber,
                "verified_name" => waba?.Name ?? channel.PhoneNumber,
                "quality_rating" => "GREEN",
                "code_verification_status" => "VERIFIED",
                "platform_type" => channel.HostingType == HostingType.Cloud ? "CLOUD_API" : "ON_PREMISE",
                "name_status" => "APPROVED",
                "status" => "CONNECTED",
                "throughput" => new JsonObject { ["level"] = sandbox.Value.Throughput > 80 ? "HIGH" : "STANDARD" },
                "messaging_limit_tier" => "TIER_UNLIMITED",
                _ => null,
            };
            if (value is null && field != "id")
            {
                return DialectResults.Error(HostingType.Cloud, new ApiError(ApiErrorKind.MalformedRequest,
                    $"(#100) Tried accessing nonexisting field ({field}) on node type (WhatsAppBusinessPhoneNumber)"));
            }
            if (value is not null)
            {
                node[field] = value;
            }
        }
        node["id"] = channel.PhoneNumberId;
        return Results.Text(node.ToJsonString(), "application/json");
    }
}
