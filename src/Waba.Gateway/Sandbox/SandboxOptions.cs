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

    /// <summary>
    /// Numbers that are not WhatsApp users, comma-separated, <c>*</c> matching any digits at either end. Messages to them
    /// fail (131026 / 1013) and the contacts check calls them invalid. Default <c>999*</c> (999 is no country code).
    /// </summary>
    public string NotOnWhatsApp { get; set; } = "999*";

    /// <summary>Users who receive but never read (no <c>read</c> status); same pattern form. Default <c>998*</c>.</summary>
    public string NeverRead { get; set; } = "998*";

    /// <summary>Free-form messages need the user to have written within this time; templates do not. Default <c>24h</c>.</summary>
    public string CustomerServiceWindow { get; set; } = "24h";

    /// <summary>Enforce the customer-service window (131047 / 470 as a failed status, as WhatsApp does). Default true.</summary>
    public bool EnforceCustomerServiceWindow { get; set; } = true;

    /// <summary>Messages per second one number may send (130429 / 1015 beyond). Default 80, WhatsApp's default.</summary>
    public int Throughput { get; set; } = 80;

    /// <summary>One message to the same user per this interval on average (131056 / 1015 beyond). Default <c>6s</c>.</summary>
    public string PairRateInterval { get; set; } = "6s";

    /// <summary>Time from submitting a template to its approval. Default <c>5s</c>.</summary>
    public string TemplateApprovalDelay { get; set; } = "5s";

    /// <summary>How many messages to the same user may go in a burst before the pair rate applies. Default 45.</summary>
    public int PairRateBurst { get; set; } = 45;

    /// <summary>Webhooks carry parent BSUIDs (<c>parent_user_id</c>, <c>US.ENT.…</c>), as for linked portfolios at Meta. Default false.</summary>
    public bool ParentUserIds { get; set; }

    /// <summary>
    /// Who may open the sandbox page (<c>/sandbox</c>) and its <c>/sandbox/v1/numbers</c> API: <c>auto</c> (default) leaves
    /// it open while the gateway listens on loopback addresses only and asks for <c>Admin:Token</c> otherwise;
    /// <c>token</c> always asks for it.
    /// </summary>
    public string PageAccess { get; set; } = "auto";
}

internal sealed class SandboxOptionsValidation : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        Durations.Check("Sandbox:SentDelay", options.SentDelay, failures);
        Durations.Check("Sandbox:DeliveredDelay", options.DeliveredDelay, failures);
        Durations.Check("Sandbox:ReadDelay", options.ReadDelay, failures);
        Durations.Check("Sandbox:CustomerServiceWindow", options.CustomerServiceWindow, failures);
        Durations.Check("Sandbox:PairRateInterval", options.PairRateInterval, failures);
        Durations.Check("Sandbox:TemplateApprovalDelay", options.TemplateApprovalDelay, failures);
        if (options.PageAccess is not ("auto" or "token"))
        {
            failures.Add("Sandbox:PageAccess: must be 'auto' or 'token'.");
        }
        if (options.Throughput < 1)
        {
            failures.Add("Sandbox:Throughput: must be at least 1 message per second.");
        }
        if (options.PairRateBurst < 1)
        {
            failures.Add("Sandbox:PairRateBurst: must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
