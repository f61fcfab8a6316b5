using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Waba.Gateway.Dialects;

namespace Waba.Gateway.Operations;

/// <summary>
/// Declares each operation's error answers in the shape the caller really gets, so a generated client (NSwag, Kiota,
/// openapi-generator) can read them: Meta's <c>{"error"}</c> on the Cloud and Graph paths, <c>{"errors", "meta"}</c> on
/// the On-Premise paths, either one (by the number's hosting type) on the paths both share, 360dialog's <c>{"meta"}</c>
/// for a refused API key or the wrong dialect, RFC 7807 problems on the admin API and the sandbox page.
/// </summary>
internal sealed class OpenApiErrorResponses : IOpenApiOperationTransformer
{
    private const string MetaSchema = "WhatsAppCloudError";
    private const string OnPremiseSchema = "WhatsAppOnPremiseErrors";
    private const string GatewaySchema = "Gateway360Error";
    private const string ProblemSchema = "ProblemDetails";

    /// <summary>Who answers an operation's errors, by its tags and path.</summary>
    private enum ErrorShape
    {
        None,

        /// <summary>Cloud API with <c>D360-API-KEY</c>: Meta's shape; a refused key in 360dialog's.</summary>
        Cloud,

        /// <summary>Graph paths with a Bearer token: Meta's shape throughout (a refused token is code 190).</summary>
        Graph,

        /// <summary>Cloud or Graph (the media node): Meta's shape; a refused API key in 360dialog's.</summary>
        CloudOrGraph,

        /// <summary>On-Premise paths: the On-Premise shape; a refused key in 360dialog's.</summary>
        OnPremise,

        /// <summary>Paths both hosting types call: the number's own dialect.</summary>
        NumbersDialect,

        /// <summary>Admin API and sandbox page.</summary>
        Problem,
    }

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = "/" + (context.Description.RelativePath ?? "").TrimStart('/');
        var tags = operation.Tags?.Select(t => t.Name).OfType<string>().ToHashSet() ?? [];
        var shape = ShapeOf(path, tags);
        if (shape == ErrorShape.None || context.Document is not { } document)
        {
            return;
        }
        await RegisterSchemasAsync(document, context, cancellationToken);
        operation.Responses ??= [];
        var method = context.Description.HttpMethod ?? "GET";
        if (shape == ErrorShape.Problem)
        {
            Add(operation, "400", "The request is not valid: the problem's detail says which field and why.", Problem());
            Add(operation, "401", "No admin token or admin key, or not a valid one (the sandbox page asks for it when the gateway listens beyond loopback).", Problem());
            Add(operation, "404", "No such WABA, number, key, user or event.", Problem());
            return;
        }

        IOpenApiSchema whatsApp = shape switch
        {
            ErrorShape.OnPremise => Ref(OnPremiseSchema),
            ErrorShape.NumbersDialect => new OpenApiSchema { OneOf = [Ref(MetaSchema), Ref(OnPremiseSchema)] },
            _ => Ref(MetaSchema),
        };
        var dialectNote = shape switch
        {
            ErrorShape.OnPremise => "The On-Premise errors array ({errors: [{code, title, details}], meta}).",
            ErrorShape.NumbersDialect => "In the number's own dialect: Meta's {error} for Cloud numbers, {errors, meta} for On-Premise numbers.",
            _ => "Meta's error object ({error: {message, type, code, error_data.details, fbtrace_id}}).",
        };
        // A key of the other hosting type (and a sandbox-only call on a real number) is refused by 360dialog's layer.
        IOpenApiSchema badRequest = shape == ErrorShape.Graph ? whatsApp : new OpenApiSchema { OneOf = [whatsApp, Ref(GatewaySchema)] };
        Add(operation, "400", $"WhatsApp refused the request (codes 100, 131008, 131009, 132000 …; details names the field). {dialectNote} "
            + (shape == ErrorShape.Graph ? "" : "A number of the other hosting type gets 360dialog's {meta} naming the right endpoint."), badRequest);
        Add(operation, "401", shape switch
        {
            ErrorShape.Graph => "Missing or unknown Bearer token: Meta's OAuthException, code 190.",
            ErrorShape.CloudOrGraph => "Missing or unknown credential: 360dialog's {meta} for D360-API-KEY, Meta's code 190 for a Bearer token.",
            _ => "Missing or unknown D360-API-KEY: 360dialog's {meta} (\"Invalid api_key or token expired\").",
        }, shape switch
        {
            ErrorShape.Graph => Ref(MetaSchema),
            ErrorShape.CloudOrGraph => new OpenApiSchema { OneOf = [Ref(GatewaySchema), Ref(MetaSchema)] },
            _ => Ref(GatewaySchema),
        });
        Add(operation, "404", $"The object (message, media, template, webhook) does not exist for this number. {dialectNote}", whatsApp);
        if (method == "POST" && (path.EndsWith("/messages", StringComparison.Ordinal) || path == "/sandbox/v1/inbound"))
        {
            Add(operation, "429", $"Throughput or pair rate limit reached (130429, 131056): retry later. {dialectNote}", whatsApp);
        }
        Add(operation, "500", $"The gateway failed; details carries the trace id to quote. {dialectNote}", whatsApp);
        Add(operation, "502", $"Meta could not be reached for a real number (131000; On-Premise 1011). Retry. {dialectNote}", whatsApp);
        Add(operation, "504", $"Meta did not answer in time for a real number. Retry. {dialectNote}", whatsApp);
    }

    private static ErrorShape ShapeOf(string path, HashSet<string> tags)
    {
        if (path.StartsWith("/admin/", StringComparison.Ordinal) || tags.Contains("Sandbox page"))
        {
            return ErrorShape.Problem;
        }
        if (tags.Contains("Graph API"))
        {
            return tags.Count > 1 ? ErrorShape.CloudOrGraph : ErrorShape.Graph;
        }
        if (tags.Contains("Cloud API"))
        {
            return ErrorShape.Cloud;
        }
        if (tags.Contains("On-Premise API"))
        {
            return ErrorShape.OnPremise;
        }
        if (tags.Contains("Webhooks") || tags.Contains("Templates") || tags.Contains("Sandbox"))
        {
            return ErrorShape.NumbersDialect;
        }
        if (tags.Contains("Media") || tags.Contains("Business profile") || tags.Contains("Block users"))
        {
            return path.StartsWith("/v1/", StringComparison.Ordinal) ? ErrorShape.OnPremise : ErrorShape.Cloud;
        }
        return ErrorShape.None;
    }

    private static OpenApiSchemaReference Ref(string id) => new(id);

    private static OpenApiSchemaReference Problem() => Ref(ProblemSchema);

    /// <summary>Declares an error unless the endpoint already declares that status itself (then only its schema is filled in).</summary>
    private static void Add(OpenApiOperation operation, string status, string description, IOpenApiSchema schema)
    {
        var mediaType = status is "400" or "401" or "404" && schema is OpenApiSchemaReference { Reference.Id: ProblemSchema }
            ? "application/problem+json"
            : "application/json";
        if (operation.Responses!.TryGetValue(status, out var existing))
        {
            if (existing is OpenApiResponse declared && (declared.Content is null || declared.Content.Count == 0))
            {
                declared.Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } };
            }
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } },
        };
    }

    /// <summary>The error bodies as components, generated from the very records the gateway writes them with.</summary>
    private static async Task RegisterSchemasAsync(OpenApiDocument document, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (document.Components?.Schemas?.ContainsKey(GatewaySchema) == true)
        {
            return;
        }
        async Task<OpenApiSchema> AddAsync(string id, Type type, string description)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
            schema.Description = description;
            document.AddComponent<IOpenApiSchema>(id, schema);
            return schema;
        }
        var meta = await AddAsync(MetaSchema, typeof(CloudErrorBody),
            "Meta's error object, as the Cloud API and the Graph API answer it: message \"(#code) title\", type, code, error_subcode where Meta gives one, error_data.details naming the field, fbtrace_id.");
        // error_data and error_subcode are left out where Meta leaves them out (an unknown Graph object has neither).
        if (meta.Properties is { } properties && properties.TryGetValue("error", out var errorSchema) && errorSchema is OpenApiSchema error)
        {
            error.Required = new HashSet<string> { "message", "type", "code", "fbtrace_id" };
        }
        await AddAsync(OnPremiseSchema, typeof(OnPremiseErrorBody),
            "The On-Premise API's errors: each with its code (1006, 1008, 1009, 1013, 1015 …), title and details.");
        await AddAsync(GatewaySchema, typeof(GatewayErrorBody),
            "360dialog's own error layer: a refused API key or an endpoint of the other hosting type.");
        if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
        {
            await AddAsync(ProblemSchema, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), "An RFC 7807 problem: title, status and a detail saying what to change.");
        }
    }
}
