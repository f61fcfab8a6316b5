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

    /// <summary>
    /// How long a claimed delivery stays with the instance that claimed it. If that instance dies, the delivery is
    /// attempted elsewhere once the lease runs out. Must exceed the attempt timeout. Default <c>1m</c>.
    /// </summary>
    public string LeaseDuration { get; set; } = "1m";

    /// <summary>Attempts in flight at once, across all receivers (recording included). Default 128.</summary>
    public int MaxConcurrency { get; set; } = 128;

    /// <summary>How often an idle worker looks for due deliveries when nothing wakes it. Default <c>1s</c>.</summary>
    public string PollInterval { get; set; } = "1s";

    /// <summary>
    /// Receiver URL rules: <c>production</c> (https, public addresses only, checked again at connect time) or
    /// <c>development</c> (also http and loopback with ports). Default: development while the sandbox is enabled, else production.
    /// </summary>
    public string? Policy { get; set; }

    /// <summary>Each delay is spread by up to this fraction either way, so retries of many events do not arrive together. Default 0.1.</summary>
    public double RetryJitter { get; set; } = 0.1;

    /// <summary>Sign every attempt (Standard Webhooks headers, and X-Hub-Signature-256 for Cloud-shaped events). Default true.</summary>
    public bool Signing { get; set; } = true;

    /// <summary>How long the previous secret keeps signing after a rotation. Default <c>24h</c>.</summary>
    public string SecretRotationGrace { get; set; } = "24h";

    /// <summary>Attempts slower than this are flagged slow in the delivery log (360dialog asks receivers for 80 ms). Default <c>80ms</c>.</summary>
    public string SlowAttemptThreshold { get; set; } = "80ms";

    /// <summary>Attempts in flight at once to one receiver (scheme, host and port). Default 32.</summary>
    public int MaxConcurrencyPerEndpoint { get; set; } = 32;

    /// <summary>Consecutive failures after which a receiver is backed off as a whole. Default 5.</summary>
    public int EndpointBackoffThreshold { get; set; } = 5;

    /// <summary>The longest pause of a backed-off receiver; pauses double from 1 s up to this. Default <c>5m</c>.</summary>
    public string EndpointBackoffMax { get; set; } = "5m";
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
        Durations.Check("Webhooks:LeaseDuration", options.LeaseDuration, failures);
        if (Durations.TryParse(options.AttemptTimeout, out var timeout) && timeout <= TimeSpan.Zero)
        {
            failures.Add("Webhooks:AttemptTimeout: must be greater than zero.");
        }
        if (Durations.TryParse(options.AttemptTimeout, out timeout) && Durations.TryParse(options.LeaseDuration, out var lease) && lease <= timeout)
        {
            failures.Add($"Webhooks:LeaseDuration: {options.LeaseDuration} must be longer than Webhooks:AttemptTimeout ({options.AttemptTimeout}).");
        }
        Durations.Check("Webhooks:SecretRotationGrace", options.SecretRotationGrace, failures);
        Durations.Check("Webhooks:SlowAttemptThreshold", options.SlowAttemptThreshold, failures);
        Durations.Check("Webhooks:EndpointBackoffMax", options.EndpointBackoffMax, failures);
        if (options.Policy is not (null or "" or "production" or "development"))
        {
            failures.Add($"Webhooks:Policy: '{options.Policy}' is neither production nor development.");
        }
        if (options.RetryJitter is < 0 or >= 1)
        {
            failures.Add($"Webhooks:RetryJitter: {options.RetryJitter} is outside 0..1 (exclusive).");
        }
        if (options.MaxConcurrencyPerEndpoint < 1)
        {
            failures.Add("Webhooks:MaxConcurrencyPerEndpoint: must be at least 1.");
        }
        if (options.EndpointBackoffThreshold < 1)
        {
            failures.Add("Webhooks:EndpointBackoffThreshold: must be at least 1.");
        }
        if (options.MaxConcurrency is < 1 or > 10_000)
        {
            failures.Add($"Webhooks:MaxConcurrency: {options.MaxConcurrency} is outside 1..10000.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
