using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Sandbox;

/// <summary>Issue 3: the template registry, the sandbox's approval, and WhatsApp's template errors on send.</summary>
public sealed class TemplateTests
{
    private static object Shipping => new
    {
        name = "shipping_update",
        language = "de",
        category = "utility",
        components = new object[] { new { type = "BODY", text = "Hallo {{1}}, Ihr Paket {{2}} ist unterwegs." } },
    };

    private static object Send(string dialect, params string[] bodyValues)
    {
        var template = new
        {
            name = "shipping_update",
            language = new { code = "de" },
            components = new[] { new { type = "body", parameters = bodyValues.Select(v => new { type = "text", text = v }).ToArray() } },
        };
        return dialect == "cloud"
            ? new { messaging_product = "whatsapp", to = "4915177777777", type = "template", template }
            : (object)new { to = "4915177777777", type = "template", template };
    }

    [Theory]
    [InlineData("cloud", 132001, 132000)]
    [InlineData("on_premise", 2001, 2000)]
    public async Task Template_IsApprovedAfterTheDelay_AndSendsCheckNameAndParameterCount(string hosting, int missingCode, int mismatchCode)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Sandbox:TemplateApprovalDelay"] = "5m" },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var number = await gateway.CreateNumberAsync(hosting);
        var path = hosting == "cloud" ? "/messages" : "/v1/messages";
        int Code(System.Text.Json.JsonElement e) => hosting == "cloud" ? e.GetProperty("error").GetProperty("code").GetInt32() : e.GetProperty("errors")[0].GetProperty("code").GetInt32();

        Assert.Equal(missingCode, Code(await GatewayServer.ReadJsonAsync(await gateway.PostAsync(path, number.ApiKey, Send(hosting, "Ada", "42")), 404)));

        var created = await GatewayServer.ReadJsonAsync(await gateway.PostAsync("/v1/configs/templates", number.ApiKey, Shipping), 200);
        Assert.Equal("submitted", created.GetProperty("status").GetString());
        Assert.Equal("UTILITY", created.GetProperty("category").GetString());
        Assert.Equal(missingCode, Code(await GatewayServer.ReadJsonAsync(await gateway.PostAsync(path, number.ApiKey, Send(hosting, "Ada", "42")), 404)));

        clock.Advance(TimeSpan.FromMinutes(5));
        var list = await GatewayServer.ReadJsonAsync(await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Get, "/v1/configs/templates", number.ApiKey), TestContext.Current.CancellationToken), 200);
        var templates = list.GetProperty("waba_templates").EnumerateArray().ToList();
        Assert.Equal("approved", templates.Single(t => t.GetProperty("name").GetString() == "shipping_update").GetProperty("status").GetString());
        Assert.Contains(templates, t => t.GetProperty("name").GetString() == "hello_world");

        Assert.Equal(200, (int)(await gateway.PostAsync(path, number.ApiKey, Send(hosting, "Ada", "42"))).StatusCode);
        var mismatch = await GatewayServer.ReadJsonAsync(await gateway.PostAsync(path, number.ApiKey, Send(hosting, "Ada")), 400);
        Assert.Equal(mismatchCode, Code(mismatch));

        using var delete = GatewayServer.Request(HttpMethod.Delete, "/v1/configs/templates/shipping_update", number.ApiKey);
        Assert.Equal(200, (int)(await gateway.Http.SendAsync(delete, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(missingCode, Code(await GatewayServer.ReadJsonAsync(await gateway.PostAsync(path, number.ApiKey, Send(hosting, "Ada", "42")), 404)));
        using var deleteAgain = GatewayServer.Request(HttpMethod.Delete, "/v1/configs/templates/shipping_update", number.ApiKey);
        Assert.Equal(404, (int)(await gateway.Http.SendAsync(deleteAgain, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "Bad Name", "language": "en", "category": "UTILITY", "components": [{"type": "BODY", "text": "x"}]}""", "name")]
    [InlineData("""{"name": "ok_name", "language": "en", "category": "SPAM", "components": [{"type": "BODY", "text": "x"}]}""", "category")]
    [InlineData("""{"name": "ok_name", "language": "en", "category": "UTILITY", "components": [{"type": "HEADER", "text": "x"}]}""", "components[type=BODY]")]
    [InlineData("""{"name": "ok_name", "category": "UTILITY", "components": [{"type": "BODY", "text": "x"}]}""", "language")]
    [InlineData("""{"name": "hello_world", "language": "en_US", "category": "UTILITY", "components": [{"type": "BODY", "text": "again"}]}""", "name")]
    public async Task TemplateSubmission_Invalid_Is400NamingTheField(string body, string field)
    {
        await using var gateway = await GatewayServer.StartAsync();
        var number = await gateway.CreateNumberAsync("on_premise");
        var response = await gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/v1/configs/templates", number.ApiKey, rawBody: body), TestContext.Current.CancellationToken);
        var error = (await GatewayServer.ReadJsonAsync(response, 400)).GetProperty("errors")[0];
        Assert.StartsWith(field, error.GetProperty("details").GetString(), StringComparison.Ordinal);
    }
}
