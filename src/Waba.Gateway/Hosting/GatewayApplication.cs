using Waba.Gateway.Admin;
using Waba.Gateway.Dialects;
using Waba.Gateway.Dialects.Graph;
using Waba.Gateway.Meta;
using Waba.Gateway.Sandbox;
using Waba.Gateway.Sandbox.Page;

namespace Waba.Gateway.Hosting;

/// <summary>The gateway's composition: what <c>Program.cs</c> runs, and what tests start on 127.0.0.1.</summary>
public static class GatewayApplication
{
    /// <param name="configureServices">Lets tests replace services such as the clock before the app is built.</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        // appsettings.json ships beside the binary; relative data paths stay relative to the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var configuration = builder.Configuration;
        builder.WebHost.UseKestrelHttpsConfiguration(); // Kestrel:Endpoints:*:Certificate (PEM or PFX) from configuration
        // The slim builder pins the simple console format: register the JSON one and honour Logging:Console:FormatterName.
        builder.Logging.AddJsonConsole();
        builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options =>
            options.FormatterName = configuration["Logging:Console:FormatterName"] ?? "simple");

        builder.Services.AddGatewayCore(configuration);
        builder.Services.AddGatewayStorage(configuration);
        builder.Services.AddMedia(configuration);
        builder.Services.AddSandbox(configuration);
        builder.Services.AddWebhookDelivery(configuration);
        builder.Services.AddOperations();
        builder.Services.AddMeta(configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseUnexpectedErrorAnswers();
        app.UseUnknownRouteAnswers();
        app.MapOperations();
        app.MapAdminApi().MapSandboxUsers();
        var channelApi = app.MapChannelApi();
        app.MapGraphApi();
        app.MapMetaWebhook();
        var sandbox = configuration.GetValue($"{SandboxOptions.Section}:{nameof(SandboxOptions.Enabled)}", true);
        if (sandbox)
        {
            channelApi.MapSandbox();
            app.MapSandboxPage();
        }
        app.MapHome(sandbox);
        return app;
    }
}
