using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Templates;

/// <summary>The WABAs' message templates, each with the review outcome events it will cause.</summary>
public interface ITemplateStore
{
    /// <summary>
    /// Adds a template with the review outcome events it will cause, in one transaction; false (and nothing stored)
    /// when the WABA already has one with this name and language.
    /// </summary>
    Task<bool> CreateTemplateAsync(Templates.MessageTemplate messageTemplate, IReadOnlyList<NewWebhookEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<Templates.MessageTemplate>> ListTemplatesAsync(string wabaId, CancellationToken cancellationToken);

    Task<Templates.MessageTemplate?> FindTemplateAsync(string wabaId, string name, string language, CancellationToken cancellationToken);

    /// <summary>Deletes a template in every language; returns how many were deleted.</summary>
    Task<int> DeleteTemplatesAsync(string wabaId, string name, CancellationToken cancellationToken);
}
