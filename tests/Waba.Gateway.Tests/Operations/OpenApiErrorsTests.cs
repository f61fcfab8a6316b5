using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Operations;

/// <summary>Issue 22: the OpenAPI document tells a generated client every operation's errors, in the shape the gateway really answers.</summary>
public sealed class OpenApiErrorsTests
{
    [Fact]
    public async Task EveryOperation_HasASummaryAndDeclaresItsErrors_AndTheDocumentIsValid()
    {
        await using var gateway = await GatewayServer.StartAsync();
        var text = await gateway.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Empty(read.Document!.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        using var document = JsonDocument.Parse(text);
        var lacking = new List<string>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (!operation.Value.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    lacking.Add($"{name}: no summary");
                }
                // Liveness cannot fail while the process answers; everything else can be refused.
                if (path.Name == "/healthz")
                {
                    continue;
                }
                var errors = operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
                if (errors.Count == 0)
                {
                    lacking.Add($"{name}: no error response");
                }
            }
        }
        Assert.Empty(lacking);
        Assert.Contains("service_name=\"waba-gateway\"", await gateway.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredErrorSchemas_DescribeTheBodiesTheGatewayAnswers_InEachDialect()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var document = JsonDocument.Parse(await gateway.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var root = document.RootElement;
        var cloud = await gateway.CreateNumberAsync("cloud");
        var onPremise = await gateway.CreateNumberAsync("on_premise");

        // A send WhatsApp refuses (no recipient), in each dialect, and a key that is not one.
        await AssertAnswerMatchesAsync(root, "/messages", "post", await gateway.PostAsync("/messages", cloud.ApiKey,
            new { messaging_product = "whatsapp", type = "text", text = new { body = "hi" } }), 400, "WhatsAppCloudError");
        await AssertAnswerMatchesAsync(root, "/v1/messages", "post", await gateway.PostAsync("/v1/messages", onPremise.ApiKey,
            new { type = "text", text = new { body = "hi" } }), 400, "WhatsAppOnPremiseErrors");
        await AssertAnswerMatchesAsync(root, "/messages", "post", await gateway.PostAsync("/messages", "not-a-key",
            new { messaging_product = "whatsapp", to = "4915112345678", type = "text", text = new { body = "hi" } }), 401, "Gateway360Error");
        // The other hosting type's endpoint: 360dialog's layer answers.
        await AssertAnswerMatchesAsync(root, "/v1/messages", "post", await gateway.PostAsync("/v1/messages", cloud.ApiKey,
            new { to = "4915112345678", type = "text", text = new { body = "hi" } }), 400, "Gateway360Error");
        // A path both dialects share answers in the number's own.
        await AssertAnswerMatchesAsync(root, "/v1/configs/templates/{name}", "delete", await gateway.Http.SendAsync(
            GatewayServer.Request(HttpMethod.Delete, "/v1/configs/templates/no_such_template", onPremise.ApiKey), TestContext.Current.CancellationToken),
            404, "WhatsAppOnPremiseErrors");
        await AssertAnswerMatchesAsync(root, "/v1/configs/templates/{name}", "delete", await gateway.Http.SendAsync(
            GatewayServer.Request(HttpMethod.Delete, "/v1/configs/templates/no_such_template", cloud.ApiKey), TestContext.Current.CancellationToken),
            404, "WhatsAppCloudError");

        // Graph: Meta's shape even for a refused token.
        using var graph = new HttpRequestMessage(HttpMethod.Post, $"/v26.0/{cloud.PhoneNumberId}/messages") { Content = new StringContent("{}", new MediaTypeHeaderValue("application/json")) };
        graph.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        await AssertAnswerMatchesAsync(root, "/{version}/{phoneNumberId}/messages", "post",
            await gateway.Http.SendAsync(graph, TestContext.Current.CancellationToken), 401, "WhatsAppCloudError");

        // Admin: RFC 7807.
        await AssertAnswerMatchesAsync(root, "/admin/v1/phone_numbers/{id}", "get",
            await gateway.AdminAsync(HttpMethod.Get, "/admin/v1/phone_numbers/pn_nope"), 404, "ProblemDetails");
    }

    [Fact]
    public async Task WireSchemas_AreSnakeCase_AsTheBodiesAre()
    {
        await using var gateway = await GatewayServer.StartAsync();
        using var document = JsonDocument.Parse(await gateway.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var number = schemas.GetProperty("PhoneNumberView").GetProperty("properties");
        Assert.True(number.TryGetProperty("phone_number_id", out _));
        Assert.True(number.TryGetProperty("created_at", out _));
        Assert.False(number.TryGetProperty("phoneNumberId", out _));
        var sent = schemas.GetProperty("CloudSendResponse").GetProperty("properties");
        Assert.True(sent.TryGetProperty("messaging_product", out _));

        // And the answer really carries the declared names.
        var created = await gateway.CreateNumberAsync("cloud");
        var view = await GatewayServer.ReadJsonAsync(await gateway.AdminAsync(HttpMethod.Get, $"/admin/v1/phone_numbers/{created.Id}"), 200);
        foreach (var required in schemas.GetProperty("PhoneNumberView").GetProperty("required").EnumerateArray())
        {
            Assert.True(view.TryGetProperty(required.GetString()!, out _), $"the answer has no '{required.GetString()}'");
        }
    }

    private static async Task AssertAnswerMatchesAsync(JsonElement document, string path, string method, HttpResponseMessage response, int status, string expectedSchema)
    {
        var body = await GatewayServer.ReadJsonAsync(response, status);
        var declared = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var schema = declared.GetProperty("content").EnumerateObject().Single().Value.GetProperty("schema");
        var candidates = schema.TryGetProperty("oneOf", out var oneOf) ? [.. oneOf.EnumerateArray()] : new List<JsonElement> { schema };
        Assert.Contains(candidates, c => RefName(c) == expectedSchema);
        var problems = new List<string>();
        Assert.True(Matches(document, Resolve(document, candidates.First(c => RefName(c) == expectedSchema)), body, "$", problems),
            $"{method.ToUpperInvariant()} {path} {status}: {body} does not match {expectedSchema}: {string.Join("; ", problems)}");
    }

    private static string? RefName(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!.Split('/')[^1] : null;

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        RefName(schema) is { } name ? document.GetProperty("components").GetProperty("schemas").GetProperty(name) : schema;

    /// <summary>Required properties present and of the declared type, all the way down.</summary>
    private static bool Matches(JsonElement document, JsonElement schema, JsonElement value, string at, List<string> problems)
    {
        schema = Resolve(document, schema);
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
            var actual = value.ValueKind switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            if (!types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
            {
                problems.Add($"{at} is {actual}, declared {string.Join("|", types)}");
                return false;
            }
        }
        var ok = true;
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            if (schema.TryGetProperty("required", out var required))
            {
                foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                {
                    if (!value.TryGetProperty(name, out _))
                    {
                        problems.Add($"{at}.{name} is missing");
                        ok = false;
                    }
                }
            }
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    ok &= Matches(document, propertySchema, property.Value, $"{at}.{property.Name}", problems);
                }
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in value.EnumerateArray())
            {
                ok &= Matches(document, items, item, $"{at}[]", problems);
            }
        }
        return ok;
    }
}
