namespace Waba.Gateway.Tenancy;

/// <summary>A WhatsApp Business Account: the owner of phone numbers and, for Cloud numbers, of the webhook.</summary>
public sealed record BusinessAccount(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>How a number is hosted; decides the API dialect and the webhook payload shape.</summary>
public enum HostingType
{
    Cloud,
    OnPremise,
}

/// <summary>One phone number of a WABA (360dialog calls it a channel).</summary>
/// <param name="Id">Our identifier, used by the admin API.</param>
/// <param name="PhoneNumberId">WhatsApp's phone-number id, used in Graph paths and webhook metadata.</param>
/// <param name="DeregisteredAt">When a sandbox number was deregistered (Graph <c>/deregister</c>); null while it is registered.</param>
public sealed record Channel(
    string Id,
    string WabaId,
    string PhoneNumber,
    string PhoneNumberId,
    HostingType HostingType,
    string Upstream,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeregisteredAt = null)
{
    public bool Registered => DeregisteredAt is null;
}

public static class HostingTypes
{
    public const string Cloud = "cloud";
    public const string OnPremise = "on_premise";

    public static string ToWire(this HostingType type) => type == HostingType.Cloud ? Cloud : OnPremise;

    public static bool TryParse(string? value, out HostingType type)
    {
        switch (value)
        {
            case Cloud: type = HostingType.Cloud; return true;
            case OnPremise: type = HostingType.OnPremise; return true;
            default: type = default; return false;
        }
    }
}
