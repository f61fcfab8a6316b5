using System.Text;
using System.Text.Json;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Messaging;

/// <summary>
/// Reads and validates a send request the way WhatsApp does. Unknown fields are kept; only what WhatsApp checks
/// is checked, and each error names its field by JSON path.
/// </summary>
public static class OutboundMessageReader
{
    /// <summary>
    /// Reads a Cloud <c>POST /messages</c> or On-Premise <c>POST /v1/messages</c> body. A Cloud body with
    /// <c>"status": "read"</c> is a read receipt, not a message: it comes back as <c>MarkRead</c>.
    /// </summary>
    /// <param name="metaDecides">
    /// The number is on Meta's Cloud API, which is the authority on what it does not know: a message type, interactive kind
    /// or recipient type the gateway does not know is passed on for Meta to accept or refuse. Known kinds keep their rules.
    /// </param>
    public static async Task<(OutboundMessage? Message, ReadReceipt? MarkRead, ApiError? Error)> ReadAsync(Stream body, HostingType dialect,
        CancellationToken cancellationToken, bool metaDecides = false)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            return (null, null, new ApiError(ApiErrorKind.MalformedRequest, Dialects.JsonErrors.Describe(e)));
        }
        using (document)
        {
            var root = document.RootElement;
            if (JsonStrings.FindUnreadable(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), root) is { } unreadable)
            {
                return (null, null, unreadable);
            }
            if (dialect == HostingType.Cloud && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out _))
            {
                var receiptError = ReadReceipt(root, out var messageId);
                return (null, receiptError is null ? new ReadReceipt(messageId, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)) : null,
                    receiptError);
            }
            string? callbackData = null;
            var error = Validate(root, dialect, metaDecides, out var to, out var waId, out var userId, out var type)
                ?? Fields.OptionalString(root, "biz_opaque_callback_data", "biz_opaque_callback_data", 512, out callbackData);
            return error is null
                ? (new OutboundMessage(to, waId, type, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), callbackData, userId), null, null)
                : (null, null, error);
        }
    }

    /// <summary><c>{"messaging_product": "whatsapp", "status": "read", "message_id": "wamid..."}</c>.</summary>
    public static ApiError? ReadReceipt(JsonElement root, out string messageId)
    {
        messageId = string.Empty;
        return Fields.OneOf(root, "status", "status", ["read"], out _)
            ?? Fields.String(root, "message_id", "message_id", 256, out messageId)
            ?? TypingIndicator(root);
    }

    /// <summary><c>"typing_indicator": {"type": "text"}</c>: the user sees the business typing until it answers (or 25 s pass).</summary>
    private static ApiError? TypingIndicator(JsonElement root)
    {
        if (!Fields.Present(root, "typing_indicator", out _))
        {
            return null;
        }
        return Fields.Object(root, "typing_indicator", "typing_indicator", out var indicator)
            ?? Fields.OneOf(indicator, "type", "typing_indicator.type", ["text"], out _);
    }

    private static ApiError? Validate(JsonElement root, HostingType dialect, bool metaDecides, out string to, out string waId, out string? userId,
        out string type)
    {
        to = waId = type = string.Empty;
        userId = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ApiError(ApiErrorKind.MalformedRequest, "The request body must be a JSON object.");
        }
        if (dialect == HostingType.Cloud)
        {
            if (!root.TryGetProperty("messaging_product", out var product))
            {
                return ApiError.Missing("messaging_product");
            }
            if (product.ValueKind != JsonValueKind.String || product.GetString() != "whatsapp")
            {
                return ApiError.Invalid("messaging_product", "must be \"whatsapp\"");
            }
        }
        var toGroup = false;
        if (root.TryGetProperty("recipient_type", out var recipientType)
            && (recipientType.ValueKind != JsonValueKind.String || recipientType.GetString() != "individual"))
        {
            // Meta's groups (recipient_type "group", to a group id) and whatever it adds next are Meta's to judge.
            if (!metaDecides || recipientType.ValueKind != JsonValueKind.String)
            {
                return ApiError.Invalid("recipient_type", "must be \"individual\"");
            }
            toGroup = true;
        }
        // Since April 2026 a message may name its user by BSUID (recipient) instead of phone number (to); to wins when both come.
        if (toGroup)
        {
            if (Fields.String(root, "to", "to", 256, out to) is { } groupError)
            {
                return groupError;
            }
            // The conversation is the group's: kept under its id.
            waId = to;
        }
        else if (Fields.Present(root, "to", out var toElement))
        {
            if (toElement.ValueKind != JsonValueKind.String || !TryGetWaId(toElement.GetString()!, out waId))
            {
                return ApiError.Invalid("to", "must be a phone number in international format, digits only, optionally with a leading +");
            }
            to = toElement.GetString()!;
        }
        else if (Fields.Present(root, "recipient", out var recipient))
        {
            if (recipient.ValueKind != JsonValueKind.String || !Sandbox.UserDirectory.UserIdFormat().IsMatch(recipient.GetString()!))
            {
                return ApiError.Invalid("recipient", "must be a business-scoped user id such as US.13491208655302741918 (or a parent id US.ENT.…)");
            }
            to = userId = recipient.GetString()!;
        }
        else
        {
            return ApiError.Missing("to or recipient");
        }

        // WhatsApp treats a request without "type" as text.
        type = "text";
        if (root.TryGetProperty("type", out var typeElement))
        {
            if (typeElement.ValueKind != JsonValueKind.String)
            {
                return ApiError.Invalid("type", "must be a string");
            }
            type = typeElement.GetString()!;
        }
        if (!MessageTypeRules.Known(type, root))
        {
            // What the gateway does not know goes to Meta when Meta decides; On-Premise-only bodies (hsm) have no Cloud form.
            if (metaDecides && !MessageTypeRules.OnPremiseOnlyTypes.Contains(type))
            {
                return null;
            }
            if (!MessageTypeRules.Types.Contains(type))
            {
                return new ApiError(ApiErrorKind.UnsupportedMessageType, $"type: '{type}' is not a WhatsApp message type");
            }
        }
        // A null member is an absent one, as client libraries that serialise every property write them.
        if (Fields.Present(root, "context", out var context))
        {
            if (context.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid("context", "must be an object");
            }
            if (!context.TryGetProperty("message_id", out var replyTo) || replyTo.ValueKind != JsonValueKind.String)
            {
                return ApiError.Missing("context.message_id");
            }
        }
        return MessageTypeRules.Validate(type, root);
    }

    /// <summary>Takes the digits of a phone number written as WhatsApp accepts it (+, spaces, dashes, brackets).</summary>
    public static bool TryGetWaId(string input, out string waId)
    {
        var digits = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not ('+' or ' ' or '-' or '(' or ')'))
            {
                waId = string.Empty;
                return false;
            }
        }
        waId = digits.ToString();
        return waId.Length is >= 6 and <= 15;
    }
}
