using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waba.Gateway.Dialects;
using Waba.Gateway.Messaging;
using Waba.Gateway.Messaging.Validation;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// A simulated user writes to a sandbox number: text, location, contacts, a template quick-reply (<c>button</c>), a
/// button or list reply (<c>interactive</c>), a reaction, media, and any of them as a reply (<c>context.message_id</c>).
/// One path for the API (<c>POST /sandbox/v1/inbound</c>) and the sandbox page, so both cause the same webhook.
/// </summary>
public sealed class SimulatedInbound(Messaging.IMessageStore messages, DeliverySignal signal, TimeProvider time, Media.MediaLibrary library,
    Blocking.IBlockListStore blocks, UserDirectory directory)
{
    /// <summary>Validates what the user writes, stores it with its webhook event, and answers 202 with the message id.</summary>
    public async Task<IResult> ReceiveAsync(Channel channel, JsonElement root, CancellationToken cancellationToken)
    {
        if (channel.Upstream != SandboxUpstream.UpstreamName)
        {
            return DialectResults.GatewayError(StatusCodes.Status400BadRequest,
                $"This number uses the '{channel.Upstream}' upstream; simulated users only write to sandbox numbers.");
        }
        if (Validate(root, out var from, out var name, out var type) is { } error)
        {
            return DialectResults.Error(channel.HostingType, error);
        }
        if (ReadIdentityChanges(root, out var username, out var hideNumber) is { } identityError)
        {
            return DialectResults.Error(channel.HostingType, identityError);
        }
        var user = await directory.LookupAsync(channel.WabaId, from, cancellationToken);
        if (user.ChangedTo is not null)
        {
            return DialectResults.GatewayError(StatusCodes.Status400BadRequest,
                $"{from} moved to {user.ChangedTo}: this user now writes from there, with a new business-scoped user id.");
        }
        if (username is not null || hideNumber is not null)
        {
            user = user with
            {
                Username = username is null ? user.Username : username.Length == 0 ? null : username,
                HidesNumber = hideNumber ?? (username is { Length: > 0 } || user.HidesNumber),
            };
            await directory.SaveAsync(user, cancellationToken);
        }
        var sender = directory.Describe(user, sentToPhone: false, user.UserId);
        if (sender.PhoneAvailable)
        {
            user = await directory.RecordPhoneSharedAsync(user, cancellationToken);
        }
        if (await blocks.IsBlockedAsync(channel.Id, from, cancellationToken))
        {
            // WhatsApp drops a blocked user's messages before they reach the business: nothing is stored or delivered.
            return DialectResults.GatewayError(StatusCodes.Status403Forbidden,
                $"The number has blocked {from}: WhatsApp does not deliver this user's messages to it.");
        }
        var now = time.GetUtcNow();
        var content = new Dictionary<string, JsonElement> { [type] = root.GetProperty(type).Clone() };
        if (MessageTypeRules.MediaTypes.Contains(type))
        {
            // The user's file becomes this number's media: the webhook carries its id, downloaded like any media.
            var given = root.GetProperty(type);
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(given.GetProperty("data").GetString()!);
            }
            catch (FormatException)
            {
                return DialectResults.Error(channel.HostingType, ApiError.Invalid($"{type}.data", "must be base64"));
            }
            var (stored, mediaError) = await library.UploadAsync(channel, new MemoryStream(bytes), given.GetProperty("mime_type").GetString(),
                given.TryGetProperty("filename", out var filename) ? filename.GetString() : null, cancellationToken);
            if (mediaError is not null)
            {
                return DialectResults.Error(channel.HostingType, mediaError);
            }
            var media = new Dictionary<string, string> { ["id"] = stored!.Id, ["mime_type"] = stored.MimeType, ["sha256"] = stored.Sha256 };
            if (given.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.String)
            {
                media["caption"] = caption.GetString()!;
            }
            if (stored.Filename is not null)
            {
                media["filename"] = stored.Filename;
            }
            content[type] = JsonSerializer.SerializeToElement(media, SandboxJsonContext.Default.DictionaryStringString);
        }
        if (root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object)
        {
            // A reply names the message it answers and who sent that message: this number.
            content["context"] = JsonSerializer.SerializeToElement(
                new Dictionary<string, string> { ["from"] = channel.PhoneNumber, ["id"] = context.GetProperty("message_id").GetString()! },
                SandboxJsonContext.Default.DictionaryStringString);
        }
        // Cloud: from only when the business may see the phone, from_user_id always. On-Premise keeps one from
        // (the phone, else the BSUID: our extension, as On-Premise had no user ids).
        var cloud = channel.HostingType == HostingType.Cloud;
        var message = new InboundMessagePayload
        {
            From = cloud ? sender.VisibleWaId : sender.VisibleWaId ?? sender.UserId,
            FromUserId = cloud ? sender.UserId : null,
            FromParentUserId = cloud ? sender.ParentUserId : null,
            Id = Identifiers.NewMessageId(),
            Timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Type = type,
            Content = content,
        };
        var webhookEvent = WebhookEvents.ForInboundMessage(channel, name, message, now, sender);
        await messages.SaveMessageAsync(
            new StoredMessage(message.Id, channel.Id, MessageDirection.Inbound, from, message.Type, StoredBody(from, name, type, content), now),
            [webhookEvent], cancellationToken);
        signal.Notify();
        return Results.Json(new AcceptedResponse([new MessageRef(message.Id)]), DialectJsonContext.Relaxed.AcceptedResponse,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A simulated user may set or clear their username (<c>"username": "@kai"</c>, <c>""</c> clears) and hide their
    /// number (<c>"hide_number": true</c>; a new username hides it unless told otherwise).
    /// </summary>
    private static ApiError? ReadIdentityChanges(JsonElement root, out string? username, out bool? hideNumber)
    {
        hideNumber = null;
        if (Fields.OptionalString(root, "username", "username", 35, out username) is { } error)
        {
            return error;
        }
        if (Fields.OptionalBoolean(root, "hide_number", "hide_number") is { } hideError)
        {
            return hideError;
        }
        if (Fields.Present(root, "hide_number", out var hide))
        {
            hideNumber = hide.GetBoolean();
        }
        return null;
    }

    /// <summary>What the chat keeps of an inbound message: the message as the business receives it (media by id, not the upload).</summary>
    private static string StoredBody(string from, string name, string type, Dictionary<string, JsonElement> content)
    {
        var stored = new JsonObject { ["from"] = from, ["name"] = name, ["type"] = type };
        foreach (var (property, value) in content)
        {
            stored[property] = JsonNode.Parse(value.GetRawText());
        }
        return stored.ToJsonString();
    }

    private static readonly HashSet<string> InboundTypes =
        ["text", "location", "contacts", "button", "interactive", "reaction", "image", "audio", "video", "document", "sticker"];

    private static ApiError? Validate(JsonElement root, out string from, out string name, out string type)
    {
        from = name = type = string.Empty;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ApiError(ApiErrorKind.MalformedRequest, "The request body must be a JSON object.");
        }
        if (!root.TryGetProperty("from", out var fromElement) || fromElement.ValueKind == JsonValueKind.Null)
        {
            return ApiError.Missing("from");
        }
        if (fromElement.ValueKind != JsonValueKind.String || !OutboundMessageReader.TryGetWaId(fromElement.GetString()!, out from))
        {
            return ApiError.Invalid("from", "must be a phone number in international format");
        }
        name = root.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()!
            : from;
        type = "text";
        if (Fields.Present(root, "type", out _) && Fields.OneOf(root, "type", "type", InboundTypes, out type) is { } typeError)
        {
            return new ApiError(ApiErrorKind.UnsupportedMessageType, typeError.Details);
        }
        if (Fields.OptionalObject(root, "context", "context", out var context) is { } contextError
            || Fields.Present(root, "context", out _) && Fields.String(context, "message_id", "context.message_id", 256, out _) is { } idError && (contextError = idError) is not null)
        {
            return contextError;
        }
        return type switch
        {
            "text" => Fields.Object(root, "text", "text", out var text) ?? Fields.String(text, "body", "text.body", MessageTypeRules.MaxTextLength, out _),
            "button" => Fields.Object(root, "button", "button", out var button)
                ?? Fields.String(button, "text", "button.text", 256, out _)
                ?? Fields.String(button, "payload", "button.payload", 1000, out _),
            "interactive" => InboundInteractive(root),
            "image" or "audio" or "video" or "document" or "sticker" => Fields.Object(root, type, type, out var media)
                ?? Fields.String(media, "data", $"{type}.data", int.MaxValue, out _)
                ?? Fields.String(media, "mime_type", $"{type}.mime_type", 200, out _)
                ?? Fields.OptionalString(media, "caption", $"{type}.caption", MessageTypeRules.MaxCaptionLength, out _),
            // Locations, contacts and reactions look the same in both directions.
            _ => MessageTypeRules.Validate(type, root),
        };
    }

    private static ApiError? InboundInteractive(JsonElement root)
    {
        if (Fields.Object(root, "interactive", "interactive", out var interactive) is { } error
            || Fields.OneOf(interactive, "type", "interactive.type", ["button_reply", "list_reply"], out var kind) is { } kindError && (error = kindError) is not null)
        {
            return error;
        }
        return Fields.Object(interactive, kind, $"interactive.{kind}", out var reply)
            ?? Fields.String(reply, "id", $"interactive.{kind}.id", 256, out _)
            ?? Fields.String(reply, "title", $"interactive.{kind}.title", 24, out _)
            ?? Fields.OptionalString(reply, "description", $"interactive.{kind}.description", 72, out _);
    }
}
