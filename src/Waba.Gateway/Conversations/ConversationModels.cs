using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Gateway.Conversations;

/// <param name="User">Who the conversation is kept under: the phone number, else the business-scoped user id.</param>
/// <param name="UserId">The user's business-scoped user id, when a message named it.</param>
public sealed record ConversationView(string User, string? UserId, DateTimeOffset LastMessageAt, int Messages);

public sealed record ConversationPage(IReadOnlyList<ConversationView> Data, string? NextCursor);

/// <param name="Direction"><c>inbound</c> (the user wrote) or <c>outbound</c> (the business sent).</param>
/// <param name="Body">The message as kept: the send request as received, or the message as WhatsApp delivered it.</param>
/// <param name="Status">Outbound only: the latest status (<c>accepted</c> until WhatsApp reports one).</param>
/// <param name="Error">Why a failed message failed.</param>
public sealed record ConversationMessageView(string Id, string Direction, string Type, DateTimeOffset CreatedAt, JsonElement Body, string? Status,
    DateTimeOffset? StatusAt, MessageError? Error, string? ReplyTo);

public sealed record ConversationMessagesPage(string User, IReadOnlyList<ConversationMessageView> Data, string? NextCursor);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConversationPage))]
[JsonSerializable(typeof(ConversationMessagesPage))]
internal sealed partial class ConversationJsonContext : JsonSerializerContext;
