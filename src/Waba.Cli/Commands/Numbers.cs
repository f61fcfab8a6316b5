using Waba.Cli.Settings;
using Waba.Client.Gateway;

namespace Waba.Cli.Commands;

/// <summary>A number named on the command line by any of its ids: the gateway's (<c>pn_…</c>), WhatsApp's phone-number id, or the phone number.</summary>
internal static class Numbers
{
    public static async Task<GatewayNumber> ResolveAsync(GatewayAdminClient admin, string anyId, CancellationToken cancellationToken) =>
        await admin.FindNumberAsync(anyId, cancellationToken)
        ?? throw new CliUsageException($"No number '{anyId}' on this gateway: name it by phone number, phone_number_id or id ('waba numbers' lists them).");
}
