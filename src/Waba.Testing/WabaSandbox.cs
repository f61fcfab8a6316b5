using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Waba.Client;
using Waba.Client.Gateway;
using Waba.Gateway.Hosting;

namespace Waba.Testing;

/// <summary>
/// The Waba Gateway with its simulated WhatsApp users, inside a test: on 127.0.0.1 at a free port, with a temporary
/// SQLite file, one WABA and one sandbox number with an API key. <see cref="Client"/> sends as the business,
/// <see cref="User"/> is a WhatsApp user who writes and taps, <see cref="Webhooks"/> are the events the webhook
/// receiver got. Until <see cref="UseWebhookAsync"/> points the number at your receiver, a built-in one answers 200.
/// </summary>
public sealed class WabaSandbox : IAsyncDisposable
{
    private const string Token = "sandbox-admin-token";
    private readonly WebApplication _gateway;
    private readonly WebApplication _receiver;
    private readonly HttpClient _http;
    private readonly string _folder;
    private static int s_users;

    private WabaSandbox(WebApplication gateway, WebApplication receiver, string folder, WabaSandboxOptions options)
    {
        _gateway = gateway;
        _receiver = receiver;
        _folder = folder;
        Options = options;
        BaseAddress = new Uri(gateway.Urls.First());
        _http = new HttpClient();
        Admin = new GatewayAdminClient(_http, BaseAddress, Token);
        Client = null!;
        Users = null!;
        Webhooks = null!;
    }

    public WabaSandboxOptions Options { get; }

    /// <summary>The gateway's admin token (<c>Authorization: Bearer</c> on <c>/admin/v1</c>), for tools such as the <c>waba</c> CLI.</summary>
    public string AdminToken { get; } = Token;

    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:41234</c>. The sandbox page is at <c>/sandbox</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The business number's API key (<c>D360-API-KEY</c>, or the Graph bearer token).</summary>
    public string ApiKey { get; private set; } = string.Empty;

    public string WabaId { get; private set; } = string.Empty;

    /// <summary>The gateway's id of the number (admin API).</summary>
    public string NumberId { get; private set; } = string.Empty;

    /// <summary>The number's WhatsApp phone number id (Graph paths, webhook metadata).</summary>
    public string PhoneNumberId { get; private set; } = string.Empty;

    /// <summary>The secret the webhook is signed with (<c>whsec_…</c>): give it to your receiver.</summary>
    public string WebhookSecret { get; private set; } = string.Empty;

    /// <summary>Options for your own <see cref="WabaClient"/> (or <c>AddWabaClient</c>): this sandbox, its key, its dialect.</summary>
    public WabaClientOptions ClientOptions => OptionsFor(Options.Dialect);

    /// <summary>A client of the business number, ready to send.</summary>
    public WabaClient Client { get; private set; }

    /// <summary>The simulated users, reached through the number's key.</summary>
    public GatewaySandbox Users { get; private set; }

    /// <summary>The gateway's admin API.</summary>
    public GatewayAdminClient Admin { get; }

    /// <summary>The webhook events the number's receiver answered 200 to, in order.</summary>
    public SandboxWebhooks Webhooks { get; private set; }

    /// <summary>Starts a gateway with the sandbox and provisions a WABA, a number and its key.</summary>
    public static async Task<WabaSandbox> StartAsync(WabaSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WabaSandboxOptions();
        var folder = Directory.CreateTempSubdirectory("waba-sandbox-").FullName;
        static string Ms(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:Provider"] = "sqlite",
            ["Storage:Sqlite:Path"] = Path.Combine(folder, "gateway.db"),
            ["Media:Path"] = Path.Combine(folder, "media"),
            ["Admin:Token"] = Token,
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:SeedOnEmptyDatabase"] = "false",
            ["Sandbox:SentDelay"] = Ms(options.SentAfter),
            ["Sandbox:DeliveredDelay"] = Ms(options.DeliveredAfter),
            ["Sandbox:ReadDelay"] = Ms(options.ReadAfter),
            ["Sandbox:TemplateApprovalDelay"] = "0s",
            ["Webhooks:RetryDelays"] = "100ms,200ms,500ms,1s,2s",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }
        var gateway = GatewayApplication.Create([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")]);
        var receiver = BuiltInReceiver();
        WabaSandbox? sandbox = null;
        try
        {
            await gateway.StartAsync(cancellationToken).ConfigureAwait(false);
            await receiver.StartAsync(cancellationToken).ConfigureAwait(false);
            sandbox = new WabaSandbox(gateway, receiver, folder, options);
            await sandbox.ProvisionAsync(cancellationToken).ConfigureAwait(false);
            return sandbox;
        }
        catch
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await gateway.DisposeAsync().ConfigureAwait(false);
                await receiver.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>A WhatsApp user with this phone number (a fresh one when none is given) who writes to the business.</summary>
    public SimulatedUser User(string? phoneNumber = null, string? name = null) =>
        new(this, phoneNumber ?? "4915" + (10000000 + Interlocked.Increment(ref s_users)).ToString(CultureInfo.InvariantCulture), name ?? "Test User");

    /// <summary>Points the number's webhook at your receiver; events from now on go there, signed with <see cref="WebhookSecret"/>.</summary>
    public async Task UseWebhookAsync(Uri receiver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (Options.Dialect == WabaDialect.Graph)
        {
            // Graph clients configure no webhooks; the sandbox sets the number's own with the Cloud call.
            using var cloud = new WabaClient(_http, OptionsFor(WabaDialect.Cloud));
            await cloud.SetWebhookAsync(receiver.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }
        await Client.SetWebhookAsync(receiver.ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _http.Dispose();
        await _gateway.StopAsync().ConfigureAwait(false);
        await _gateway.DisposeAsync().ConfigureAwait(false);
        await _receiver.StopAsync().ConfigureAwait(false);
        await _receiver.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the temporary folder is left for the OS to clear.
        }
    }

    private async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        var waba = await Admin.CreateWabaAsync("Sandbox business", cancellationToken).ConfigureAwait(false);
        var hosting = Options.Dialect == WabaDialect.OnPremise ? "on_premise" : "cloud";
        var number = await Admin.CreateNumberAsync(waba.Id, Options.PhoneNumber, hosting, "sandbox", cancellationToken).ConfigureAwait(false);
        var key = await Admin.CreateApiKeyAsync(number.Id, cancellationToken).ConfigureAwait(false);
        WabaId = waba.Id;
        NumberId = number.Id;
        PhoneNumberId = number.PhoneNumberId;
        ApiKey = key.ApiKey;
        Client = new WabaClient(_http, ClientOptions);
        var setup = Options.Dialect == WabaDialect.OnPremise ? Client : new WabaClient(_http, OptionsFor(WabaDialect.Cloud));
        Users = new GatewaySandbox(setup);
        var webhook = await setup.SetWebhookAsync(new Uri(_receiver.Urls.First()).ToString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        WebhookSecret = webhook.SigningSecret ?? string.Empty;
        Webhooks = new SandboxWebhooks(Admin, NumberId, Options.WaitTimeout);
    }

    private WabaClientOptions OptionsFor(WabaDialect dialect) => new()
    {
        BaseAddress = BaseAddress,
        ApiKey = ApiKey,
        Dialect = dialect,
        PhoneNumberId = PhoneNumberId,
        WabaId = WabaId,
    };

    /// <summary>Answers 200 to every webhook until the test points the number at its own receiver.</summary>
    private static WebApplication BuiltInReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => { context.Response.StatusCode = StatusCodes.Status200OK; return Task.CompletedTask; });
        return app;
    }
}
