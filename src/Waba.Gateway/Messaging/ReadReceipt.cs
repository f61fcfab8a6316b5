namespace Waba.Gateway.Messaging;

/// <summary>
/// A read receipt for a message the user sent: <c>{"messaging_product": "whatsapp", "status": "read", "message_id": ...}</c>,
/// optionally with <c>"typing_indicator": {"type": "text"}</c>.
/// </summary>
/// <param name="CloudBody">The receipt in the Cloud shape, unknown members included, as Meta is to receive it.</param>
public sealed record ReadReceipt(string MessageId, string CloudBody)
{
    /// <summary>The Cloud body for an On-Premise <c>PUT /v1/messages/{id}</c> <c>{"status": "read"}</c>.</summary>
    public static ReadReceipt ForMessage(string messageId) =>
        new(messageId, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["messaging_product"] = "whatsapp",
            ["status"] = "read",
            ["message_id"] = messageId,
        }, Sandbox.SandboxJsonContext.Default.DictionaryStringString));
}
