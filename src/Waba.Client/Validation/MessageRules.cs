using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging.Validation;

namespace Waba.Client.Validation;

/// <summary>Checks a message body with the gateway's own rules (WhatsApp's limits), answering in the dialect's codes.</summary>
internal static class MessageRules
{
    /// <summary>
    /// Null when the message passes, or when its kind is one these rules do not know (a type or interactive kind WhatsApp
    /// added later): the gateway decides those, passing them to Meta for numbers on Meta's Cloud API.
    /// </summary>
    public static WabaApiException? Check(JsonElement root, WabaDialect dialect)
    {
        if (Addressed(root) is null && Type(root, out var kind) is null && !MessageTypeRules.Known(kind, root)
            && !MessageTypeRules.OnPremiseOnlyTypes.Contains(kind))
        {
            return null;
        }
        var error = Addressed(root) ?? Type(root, out var type) ?? MessageTypeRules.Validate(type, root)
            ?? Fields.OptionalString(root, "biz_opaque_callback_data", "biz_opaque_callback_data", 512, out _);
        if (error is null)
        {
            return null;
        }
        var onPremise = dialect == WabaDialect.OnPremise;
        var (code, title) = error.Kind switch
        {
            ApiErrorKind.RequiredParameterMissing => (onPremise ? 1008 : 131008, "Required parameter is missing"),
            ApiErrorKind.UnsupportedMessageType => (onPremise ? 501 : 131051, "Unsupported message type"),
            _ => (onPremise ? 1009 : 131009, "Parameter value is not valid"),
        };
        return new WabaApiException(code, title, error.Details, statusCode: null);
    }

    private static ApiError? Addressed(JsonElement root) =>
        Fields.Present(root, "to", out _) || Fields.Present(root, "recipient", out _) ? null : ApiError.Missing("to or recipient");

    private static ApiError? Type(JsonElement root, out string type)
    {
        type = root.TryGetProperty("type", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "text";
        return null;
    }
}
