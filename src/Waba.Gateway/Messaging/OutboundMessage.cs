namespace Waba.Gateway.Messaging;

/// <summary>A validated message a customer asked to send.</summary>
/// <param name="To">The recipient as the caller wrote it (echoed back as <c>contacts[].input</c>): the phone number, or the BSUID.</param>
/// <param name="WaId">The recipient's WhatsApp id: the digits of the phone number; empty for a message addressed by BSUID.</param>
/// <param name="Body">The request body exactly as received, unknown fields included.</param>
/// <param name="BizOpaqueCallbackData">Echoed in every status of this message (Cloud shape).</param>
/// <param name="UserId">The BSUID or parent BSUID the message is addressed to (<c>recipient</c>), when it has no <c>to</c>.</param>
public sealed record OutboundMessage(string To, string WaId, string Type, string Body, string? BizOpaqueCallbackData = null, string? UserId = null)
{
    /// <summary>Who the message is for, as the business named them: the phone digits, or the BSUID.</summary>
    public string Addressee => UserId ?? WaId;
}
