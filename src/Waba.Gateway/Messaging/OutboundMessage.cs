namespace Waba.Gateway.Messaging;

/// <summary>A validated message a customer asked to send.</summary>
/// <param name="To">The recipient as the caller wrote it (echoed back as <c>contacts[].input</c>).</param>
/// <param name="WaId">The recipient's WhatsApp id: the digits of <paramref name="To"/>.</param>
/// <param name="Body">The request body exactly as received, unknown fields included.</param>
/// <param name="BizOpaqueCallbackData">Echoed in every status of this message (Cloud shape).</param>
public sealed record OutboundMessage(string To, string WaId, string Type, string Body, string? BizOpaqueCallbackData = null);
