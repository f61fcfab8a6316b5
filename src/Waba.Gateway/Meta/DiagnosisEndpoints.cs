using System.Text.Json.Serialization;

namespace Waba.Gateway.Meta;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Diagnosis))]
internal sealed partial class DiagnosisJsonContext : JsonSerializerContext;

public static class DiagnosisEndpoints
{
    /// <summary><c>GET /admin/v1/phone_numbers/{id}/diagnosis</c>: what <c>waba doctor</c> shows (see <see cref="MetaDiagnosis"/>).</summary>
    public static RouteGroupBuilder MapDiagnosis(this RouteGroupBuilder admin)
    {
        admin.MapGet("/phone_numbers/{id}/diagnosis", DiagnoseAsync)
            .WithSummary("Checks a meta number's setup at Meta (token, scopes, registration, display name, app subscription, callback, verify token, app secret, last webhook, Graph version) and says what to fix.")
            .Produces<Diagnosis>().ProducesProblem(StatusCodes.Status404NotFound);
        return admin;
    }

    private static async Task<IResult> DiagnoseAsync(string id, Tenancy.ITenantStore tenantStore, MetaDiagnosis diagnosis, CancellationToken cancellationToken) =>
        await tenantStore.FindChannelAsync(id, cancellationToken) is { } channel
            ? Results.Json(await diagnosis.DiagnoseAsync(channel, cancellationToken), DiagnosisJsonContext.Default.Diagnosis)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No phone number '{id}'.");
}
