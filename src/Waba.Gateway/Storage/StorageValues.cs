using System.Text.Json;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Storage;

/// <summary>How both engines write values to columns: times as Unix milliseconds, enums as their wire names, headers as JSON.</summary>
internal static class StorageValues
{
    public static HostingType ParseHosting(string value) =>
        HostingTypes.TryParse(value, out var hosting) ? hosting : throw new InvalidDataException($"Unknown hosting type '{value}' in the database.");

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string ScopeName(WebhookScope scope) => scope == WebhookScope.Waba ? "waba" : "number";

    public static string StateName(DeliveryState state) => state switch
    {
        DeliveryState.Delivered => "delivered",
        DeliveryState.Failed => "failed",
        _ => "pending",
    };

    public static DeliveryState ParseState(string value) => value switch
    {
        "delivered" => DeliveryState.Delivered,
        "failed" => DeliveryState.Failed,
        _ => DeliveryState.Pending,
    };

    public static string SerializeHeaders(IReadOnlyDictionary<string, string> headers) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(headers), StorageJsonContext.Default.DictionaryStringString);

    public static Dictionary<string, string> DeserializeHeaders(string json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.DictionaryStringString) ?? [];
}
