using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Cli.Settings;

/// <summary>One named set of connection settings.</summary>
internal sealed record Profile
{
    public string? Url { get; init; }
    public string? ApiKey { get; init; }
    public string? Dialect { get; init; }
    public string? PhoneNumberId { get; init; }
    public string? WabaId { get; init; }
    public string? AdminToken { get; init; }
    public string? WebhookSecret { get; init; }
}

/// <summary><c>$XDG_CONFIG_HOME/waba/config.json</c> (else <c>~/.config/waba/config.json</c>): profiles by name, readable by its owner only.</summary>
internal sealed record ProfileFile
{
    public Dictionary<string, Profile> Profiles { get; init; } = new(StringComparer.Ordinal);

    public static string Path
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(root, "waba", "config.json");
        }
    }

    public Profile? Profile(string name) => Profiles.GetValueOrDefault(name);

    public static ProfileFile Load()
    {
        if (!File.Exists(Path))
        {
            return new ProfileFile();
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path), CliJsonContext.Default.ProfileFile) ?? new ProfileFile();
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{Path} is not valid JSON: {e.Message}");
        }
    }

    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // it holds keys
        }
        using var file = new FileStream(Path, options);
        // Indented: people edit this file; --json output stays one line per document for scripts.
        JsonSerializer.Serialize(file, this, CliJsonContext.Indented.ProfileFile);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProfileFile))]
[JsonSerializable(typeof(Waba.Client.Messages.SentMessage))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayPage<Waba.Client.Gateway.GatewayNumber>))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayApiKeyCreated))]
[JsonSerializable(typeof(IReadOnlyList<Waba.Client.Gateway.GatewayApiKey>))]
[JsonSerializable(typeof(Waba.Client.Webhooks.WebhookConfiguration))]
[JsonSerializable(typeof(Waba.Client.Webhooks.EffectiveWebhook))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayWebhookTest))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayPage<Waba.Client.Gateway.GatewayDelivery>))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayDelivery))]
[JsonSerializable(typeof(Waba.Client.Gateway.SandboxChat))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayPage<Waba.Client.Gateway.GatewayConversation>))]
[JsonSerializable(typeof(Waba.Client.Gateway.GatewayConversationPage))]
[JsonSerializable(typeof(List<Waba.Client.Gateway.GatewayDiagnosis>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Cli.Commands.ListenedEvent))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>For people reading JSON (a payload under a table); <c>--json</c> output stays one line per document.</summary>
    public static CliJsonContext Indented => s_indented ??= new(new JsonSerializerOptions(Default.Options!) { WriteIndented = true });

    private static CliJsonContext? s_indented;
}
