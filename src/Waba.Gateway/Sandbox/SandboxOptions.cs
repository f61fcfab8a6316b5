using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;

namespace Waba.Gateway.Sandbox;

/// <summary>The built-in upstream of simulated WhatsApp users. Section <c>Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Offers the <c>sandbox</c> upstream and its endpoints. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>On an empty database, create a sandbox WABA with a Cloud and an On-Premise number and print their keys. Default true.</summary>
    public bool SeedOnEmptyDatabase { get; set; } = true;

    /// <summary>Time from acceptance to the <c>sent</c> status. Default 100ms.</summary>
    public string SentDelay { get; set; } = "100ms";

    /// <summary>Time from acceptance to the <c>delivered</c> status. Default 300ms.</summary>
    public string DeliveredDelay { get; set; } = "300ms";

    /// <summary>Time from acceptance to the <c>read</c> status. Default 800ms.</summary>
    public string ReadDelay { get; set; } = "800ms";
}

internal sealed class SandboxOptionsValidation : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        Durations.Check("Sandbox:SentDelay", options.SentDelay, failures);
        Durations.Check("Sandbox:DeliveredDelay", options.DeliveredDelay, failures);
        Durations.Check("Sandbox:ReadDelay", options.ReadDelay, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
