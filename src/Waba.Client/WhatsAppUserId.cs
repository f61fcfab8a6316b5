using System.Text.RegularExpressions;

namespace Waba.Client;

/// <summary>WhatsApp's business-scoped user ids (BSUIDs): <c>US.13491208655302741918</c>, or a parent BSUID <c>US.ENT.…</c>.</summary>
public static partial class WhatsAppUserId
{
    /// <summary>Whether <paramref name="value"/> is a BSUID rather than a phone number.</summary>
    public static bool IsBusinessScoped(string value) => Format().IsMatch(value);

    [GeneratedRegex(@"^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$")]
    private static partial Regex Format();
}
