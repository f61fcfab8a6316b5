using Microsoft.Extensions.Options;

namespace Waba.Gateway.Admin;

/// <summary>The operator's API. Section <c>Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The bearer token for <c>/admin/v1</c>. Without one the admin API answers 404. At least 16 characters.</summary>
    public string? Token { get; set; }
}

internal sealed class AdminOptionsValidation : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options) =>
        string.IsNullOrEmpty(options.Token) || options.Token.Length >= 16
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Admin:Token: must be at least 16 characters (or left empty to disable the admin API).");
}
