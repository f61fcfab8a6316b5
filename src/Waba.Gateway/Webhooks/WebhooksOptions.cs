using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Webhooks;

/// <summary>Webhook delivery. Section <c>Webhooks</c>.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>Delays between attempts, comma-separated; the last one repeats. Default <c>5s,30s,2m,5m,15m,30m,1h,2h</c>.</summary>
    public string RetryDelays { get; set; } = "5s,30s,2m,5m,15m,30m,1h,2h";

    /// <summary>How long after the event attempts go on; after that the event is kept as failed. Default <c>24h</c>.</summary>
    public string MaxAge { get; set; } = "24h";

    /// <summary>How long one attempt may take before it counts as failed. Default <c>10s</c>.</summary>
    public string AttemptTimeout { get; set; } = "10s";

    /// <summary>Attempts in flight at once, across all receivers. Default 32.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>How often an idle worker looks for due deliveries when nothing wakes it. Default <c>1s</c>.</summary>
    public string PollInterval { get; set; } = "1s";
}

internal sealed class WebhooksOptionsValidation : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        var delays = (options.RetryDelays ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (delays.Length == 0)
        {
            failures.Add("Webhooks:RetryDelays: give at least one delay, for example 5s,30s,2m.");
        }
        foreach (var delay in delays)
        {
            Durations.Check("Webhooks:RetryDelays", delay, failures);
        }
        Durations.Check("Webhooks:MaxAge", options.MaxAge, failures);
        Durations.Check("Webhooks:AttemptTimeout", options.AttemptTimeout, failures);
        Durations.Check("Webhooks:PollInterval", options.PollInterval, failures);
        if (Durations.TryParse(options.AttemptTimeout, out var timeout) && timeout <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:AttemptTimeout: must be greater than zero.");
        }
        if (options.MaxConcurrency is < 1 or > 10_000)
        {
            failures.Add($"Webhooks:MaxConcurrency: {options.MaxConcurrency} is outside 1..10000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
