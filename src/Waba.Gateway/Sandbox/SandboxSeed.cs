using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Sandbox;

/// <summary>
/// On an empty database, creates a sandbox WABA with one Cloud and one On-Premise number and prints their API
/// keys with a ready curl line, once the server listens. The keys are written to the console only, never logged.
/// </summary>
internal sealed class SandboxSeed(
    Tenancy.ITenantStore tenantStore,
    TenantRegistry tenants,
    IOptions<SandboxOptions> options,
    IOptions<Admin.AdminOptions> admin,
    Admin.IAdminKeyStore adminKeys,
    TimeProvider time,
    IServer server,
    IHostApplicationLifetime lifetime,
    TextWriter console) : IHostedService
{
    public const string CloudNumber = "4930000000001";
    public const string OnPremiseNumber = "4930000000002";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || !options.Value.SeedOnEmptyDatabase || await tenantStore.HasAnyWabaAsync(cancellationToken))
        {
            return;
        }
        var waba = await tenants.CreateWabaAsync("Sandbox", cancellationToken);
        var cloud = await tenants.CreateChannelAsync(waba.Id, CloudNumber, HostingType.Cloud, SandboxUpstream.UpstreamName, cancellationToken);
        var onPremise = await tenants.CreateChannelAsync(waba.Id, OnPremiseNumber, HostingType.OnPremise, SandboxUpstream.UpstreamName, cancellationToken);
        var cloudKey = await tenants.IssueApiKeyAsync(cloud.Id, cancellationToken);
        var onPremiseKey = await tenants.IssueApiKeyAsync(onPremise.Id, cancellationToken);
        // A first start with no Admin:Token gets an admin key, so the CLI and the admin API work at once (shown once too).
        var adminKey = string.IsNullOrEmpty(admin.Value.Token) && !await adminKeys.AnyLiveAsync(cancellationToken)
            ? (await Admin.AdminKeyEndpoints.IssueAsync(adminKeys, "first start", time.GetUtcNow(), cancellationToken)).Key
            : null;
        lifetime.ApplicationStarted.Register(() => Print(waba, cloud, cloudKey.Secret, onPremise, onPremiseKey.Secret, adminKey));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print(BusinessAccount waba, Channel cloud, string cloudKey, Channel onPremise, string onPremiseKey, string? adminKey)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5055";
        var adminLine = adminKey is null
            ? "  Admin API           Admin:Token (from your configuration)"
            : $"  Admin key           {adminKey}\n                      (for the admin API and the waba CLI: export WABA_ADMIN_TOKEN=...)";
        console.WriteLine($$$"""

            Waba Gateway {{{Operations.GatewayVersion.Current}}}: sandbox created (empty database). These keys are shown once; they are stored hashed.
              WABA                {{{waba.Id}}}
              Cloud number        +{{{cloud.PhoneNumber}}}  phone_number_id {{{cloud.PhoneNumberId}}}  id {{{cloud.Id}}}
                D360-API-KEY      {{{cloudKey}}}
              On-Premise number   +{{{onPremise.PhoneNumber}}}  phone_number_id {{{onPremise.PhoneNumberId}}}  id {{{onPremise.Id}}}
                D360-API-KEY      {{{onPremiseKey}}}
            {{{adminLine}}}

            The sandbox page: {{{address}}}/sandbox   Every route: {{{address}}}/docs

            Receive on your webhook (any http://127.0.0.1:PORT receiver works in the sandbox); the answer holds the
            WABA webhook's signing_secret, shown once: the secret your receiver verifies every Cloud number's events with.
              curl -s {{{address}}}/waba_webhook -H 'D360-API-KEY: {{{cloudKey}}}' -H 'Content-Type: application/json' \
                -d '{"url":"http://127.0.0.1:5056/hook"}'
            A simulated user writes first (WhatsApp's 24-hour window), then you answer (Cloud API dialect):
              curl -s {{{address}}}/sandbox/v1/inbound -H 'D360-API-KEY: {{{cloudKey}}}' -H 'Content-Type: application/json' \
                -d '{"from":"4915100000000","name":"Alice","type":"text","text":{"body":"Hi!"}}'
              curl -s {{{address}}}/messages -H 'D360-API-KEY: {{{cloudKey}}}' -H 'Content-Type: application/json' \
                -d '{"messaging_product":"whatsapp","to":"4915100000000","type":"text","text":{"body":"Hello"}}'

            """);
        console.Flush();
    }
}
