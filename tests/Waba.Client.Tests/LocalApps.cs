using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Waba.Client;

namespace Waba.Client.Tests;

/// <summary>What several test classes share: a quiet Kestrel app on 127.0.0.1 at a free port, and the three dialects.</summary>
internal static class LocalApps
{
    public static TheoryData<WabaDialect> Dialects => [WabaDialect.Cloud, WabaDialect.OnPremise, WabaDialect.Graph];

    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }
}
