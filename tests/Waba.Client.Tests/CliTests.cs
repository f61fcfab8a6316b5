using System.Text.Json;
using Waba.Client;
using Waba.Client.Messages;
using Waba.Client.Webhooks;
using Waba.Testing;

namespace Waba.Client.Tests;

/// <summary>The built <c>waba</c> tool as a user runs it, against a real gateway.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private WabaSandbox _sandbox = null!;
    private CliProcess _waba = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new WabaSandboxOptions();
        options.Settings["Webhooks:RetryDelays"] = "50ms";
        options.Settings["Webhooks:MaxAge"] = "300ms";
        _sandbox = await WabaSandbox.StartAsync(options, Ct);
        _waba = new CliProcess(new Dictionary<string, string>
        {
            ["WABA_URL"] = _sandbox.BaseAddress.ToString(),
            ["WABA_API_KEY"] = _sandbox.ApiKey,
            ["WABA_ADMIN_TOKEN"] = _sandbox.AdminToken,
        });
    }

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Send_text_prints_the_message_id_and_the_user_sees_it()
    {
        var user = _sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);

        var table = await _waba.RunOkAsync("send", "text", user.PhoneNumber, "Hello from the terminal");
        var json = await _waba.RunOkAsync("send", "text", user.PhoneNumber, "Second", "--json");

        var id = JsonDocument.Parse(json.Output).RootElement.GetProperty("id").GetString()!;
        var chat = await user.ChatAsync(Ct);
        var first = chat.Single(m => m.Text == "Hello from the terminal");
        Assert.Contains(first.Id, table.Output, StringComparison.Ordinal);
        Assert.Contains(chat, m => m.Id == id && m.Text == "Second");
    }

    [Fact]
    public async Task Buttons_sent_and_tapped_from_the_terminal_reach_the_webhook_with_the_buttons_id()
    {
        var user = _sandbox.User();
        await _waba.RunOkAsync("sandbox", "say", user.PhoneNumber, "help", "--name", "Kai");

        await _waba.RunOkAsync("send", "buttons", user.PhoneNumber, "Need a human?", "--button", "yes=Yes please", "--button", "no=No");
        await _waba.RunOkAsync("sandbox", "tap", user.PhoneNumber, "Yes please");

        var tap = await _sandbox.Webhooks.WaitForMessageAsync(m => m.Interactive?.ButtonReply is not null, Ct);
        Assert.Equal("yes", tap.ChoiceId);
        var shown = await _waba.RunOkAsync("sandbox", "chat", user.PhoneNumber);
        Assert.Contains("Need a human?", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Yes please | No", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_an_image_file_and_a_template_are_sent()
    {
        var user = _sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);
        var file = Path.Combine(_waba.ConfigHome, "dot.png");
        await File.WriteAllBytesAsync(file, MessageTypesTests.Png, Ct);

        await _waba.RunOkAsync("send", "list", user.PhoneNumber, "Our menu", "--button-text", "Open", "--row", "m1=Margherita=Tomato", "--row", "m2=Carbonara");
        await _waba.RunOkAsync("send", "image", user.PhoneNumber, "--file", file, "--caption", "a dot");
        await _waba.RunOkAsync("send", "template", user.PhoneNumber, "hello_world", "--language", "en_US");
        await _waba.RunOkAsync("sandbox", "tap", "--from", user.PhoneNumber, "--button", "Carbonara");

        var chat = await user.ChatAsync(Ct);
        Assert.Contains(chat, m => m.Type == "interactive" && m.Buttons!.SequenceEqual(["Open", "Margherita", "Carbonara"]));
        Assert.Contains(chat, m => m.Type == "image" && m.Text.Contains("a dot", StringComparison.Ordinal));
        Assert.Contains(chat, m => m.Type == "template");
        var row = await _sandbox.Webhooks.WaitForMessageAsync(m => m.Interactive?.ListReply is not null, Ct);
        Assert.Equal("m2", row.ChoiceId);
    }

    [Fact]
    public async Task Sandbox_say_takes_positional_arguments_like_send_and_still_its_options()
    {
        var user = _sandbox.User();
        await _waba.RunOkAsync("sandbox", "say", user.PhoneNumber, "positional words");
        await _waba.RunOkAsync("sandbox", "say", "--from", user.PhoneNumber, "--text", "named words");
        var missing = await _waba.RunAsync("sandbox", "say", user.PhoneNumber);

        var chat = await user.ChatAsync(Ct);
        Assert.Contains(chat, m => m.Text == "positional words");
        Assert.Contains(chat, m => m.Text == "named words");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("Give the text", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliveries_take_the_number_by_phone_show_json_is_one_line_and_every_answer_ends_its_line()
    {
        var user = _sandbox.User();
        await user.SayAsync("log me", cancellationToken: Ct);
        var phone = "+" + (await _sandbox.Admin.FindNumberAsync(_sandbox.NumberId, Ct))!.PhoneNumber;
        await WaitForAsync(async () => (await _sandbox.Admin.ListDeliveriesAsync(new Waba.Client.Gateway.DeliveryQuery { NumberId = _sandbox.NumberId }, Ct)).Data.Count > 0);

        var listed = await _waba.RunOkAsync("deliveries", "list", "--number", phone, "--json");
        var eventId = JsonDocument.Parse(listed.Output).RootElement.GetProperty("data")[0].GetProperty("event_id").GetString()!;
        var shown = await _waba.RunOkAsync("deliveries", "show", eventId, "--json");
        var replayed = await _waba.RunOkAsync("deliveries", "replay", eventId);
        var unknown = await _waba.RunAsync("deliveries", "list", "--number", "4930999999999");

        Assert.Single(shown.Output.TrimEnd('\n').Split('\n'));
        Assert.Equal(eventId, JsonDocument.Parse(shown.Output).RootElement.GetProperty("event_id").GetString());
        Assert.EndsWith("\n", replayed.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No phone number '4930999999999'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_codes_say_refused_usage_and_unreachable()
    {
        var refused = await _waba.RunAsync("send", "buttons", "4915112345678", "Pick", "--button", "a=" + new string('x', 21));
        var noKey = await new CliProcess(new Dictionary<string, string> { ["WABA_URL"] = _sandbox.BaseAddress.ToString() }).RunAsync("send", "text", "4915112345678", "hi");
        var unreachable = await _waba.RunAsync("send", "text", "4915112345678", "hi", "--url", "http://127.0.0.1:9");
        var unknownVerb = await _waba.RunAsync("sned");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("(131009) Parameter value is not valid: interactive.action.buttons[0].reply.title: must be at most 20 characters, not 21", refused.Error, StringComparison.Ordinal);
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("No API key", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Equal(2, unknownVerb.ExitCode);
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_and_a_revoked_key_is_refused()
    {
        var numbers = await _waba.RunOkAsync("numbers", "--json");
        var number = JsonDocument.Parse(numbers.Output).RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(_sandbox.NumberId, number.GetProperty("id").GetString());

        var created = JsonDocument.Parse((await _waba.RunOkAsync("keys", "create", _sandbox.NumberId, "--json")).Output).RootElement;
        var key = created.GetProperty("api_key").GetString()!;
        var keyId = created.GetProperty("id").GetString()!;
        var listed = await _waba.RunOkAsync("keys", "list", _sandbox.NumberId);
        await _waba.RunOkAsync("keys", "revoke", _sandbox.NumberId, keyId);
        var afterRevoke = await _waba.RunAsync("send", "template", "4915112345678", "hello_world", "--api-key", key);

        Assert.Contains(keyId, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.Equal(1, afterRevoke.ExitCode);
        Assert.Contains("401", afterRevoke.Error + afterRevoke.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_deliveries_are_replayed_to_a_listening_terminal_with_their_signatures_checked()
    {
        // Events fail against a port nobody listens on, then a `waba webhook listen` takes that port and gets them replayed.
        var port = FreePort();
        await _waba.RunOkAsync("webhook", "set", $"http://127.0.0.1:{port}/");
        var user = _sandbox.User();
        await user.SayAsync("one", cancellationToken: Ct);
        await user.SayAsync("two", cancellationToken: Ct);
        await WaitForAsync(async () => (await _sandbox.Admin.ListDeliveriesAsync(new Waba.Client.Gateway.DeliveryQuery { NumberId = _sandbox.NumberId, State = "failed" }, Ct)).Data.Count >= 2);

        using var listener = _waba.Start("webhook", "listen", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--secret", _sandbox.WebhookSecret,
            "--count", "2", "--json");
        await WaitForAsync(() => Task.FromResult(IsListening(port)));
        var failed = await _waba.RunOkAsync("deliveries", "list", "--state", "failed", "--json");
        var replay = await _waba.RunOkAsync("deliveries", "replay", "--failed", "--number", _sandbox.NumberId);
        var heard = await listener.StandardOutput.ReadToEndAsync(Ct);
        await listener.WaitForExitAsync(Ct);

        Assert.Equal(2, JsonDocument.Parse(failed.Output).RootElement.GetProperty("data").GetArrayLength());
        Assert.Contains("Replayed 2 events", replay.Output, StringComparison.Ordinal);
        var lines = heard.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("valid", l.GetProperty("signature").GetString()));
        var texts = lines.SelectMany(l => WebhookPayload.Parse(l.GetProperty("payload").GetRawText())).Select(e => e.Message?.Text?.Body).Order().ToList();
        Assert.Equal(["one", "two"], texts);
        Assert.Equal(0, listener.ExitCode);
    }

    [Fact]
    public async Task Webhook_show_and_test_report_the_receiver()
    {
        var set = await _waba.RunOkAsync("webhook", "set", "http://127.0.0.1:9/hook", "--header", "X-Team=bots");
        var shown = await _waba.RunOkAsync("webhook", "show");
        var test = await _waba.RunAsync("webhook", "test", _sandbox.NumberId);

        Assert.Contains("http://127.0.0.1:9/hook", shown.Output, StringComparison.Ordinal);
        Assert.Contains("X-Team", shown.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_sandbox.WebhookSecret, set.Output, StringComparison.Ordinal); // the secret was issued before, not again
        Assert.Contains(_sandbox.WebhookSecret[..10], shown.Output, StringComparison.Ordinal); // but show names which one signs
        Assert.Equal(1, test.ExitCode); // nobody listens there: the test delivery failed, and the table says so
        Assert.Contains("delivered", test.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_profile_is_used_and_its_keys_are_never_shown()
    {
        var bare = new CliProcess();
        await bare.RunOkAsync("config", "set", "--url", _sandbox.BaseAddress.ToString(), "--api-key", _sandbox.ApiKey);
        var user = _sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);

        var shown = await bare.RunOkAsync("config", "show");
        await bare.RunOkAsync("send", "text", user.PhoneNumber, "from a profile");

        Assert.DoesNotContain(_sandbox.ApiKey, shown.Output, StringComparison.Ordinal);
        Assert.Contains(_sandbox.BaseAddress.ToString(), shown.Output, StringComparison.Ordinal);
        Assert.Contains(await user.ChatAsync(Ct), m => m.Text == "from a profile");
        var file = await File.ReadAllTextAsync(Path.Combine(bare.ConfigHome, "waba", "config.json"), Ct);
        Assert.Contains(_sandbox.ApiKey, file, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(bare.ConfigHome, "waba", "config.json")));
        }
    }

    [Fact]
    public async Task Docs_cli_md_is_the_help_of_every_verb()
    {
        var generated = await new CliProcess().RunOkAsync("help-markdown");
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(CliProcess.ToolPath)!, "..", "..", "..", "..", ".."));
        var committed = await File.ReadAllTextAsync(Path.Combine(repository, "docs", "cli.md"), Ct);

        Assert.True(committed == generated.Output,
            "docs/cli.md is not the tool's current help: run `dotnet run --project src/Waba.Cli -- help-markdown > docs/cli.md`.");
        foreach (var verb in new[] { "serve", "send text", "send image", "send document", "send template", "send buttons", "send list", "numbers", "keys create",
            "keys list", "keys revoke", "webhook set", "webhook show", "webhook test", "webhook listen", "deliveries list", "deliveries show", "deliveries replay",
            "sandbox say", "sandbox tap", "sandbox chat", "config set", "config show" })
        {
            Assert.Contains($"## `waba {verb}`", committed, StringComparison.Ordinal);
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 400; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(25, Ct);
        }
        Assert.Fail("the condition did not hold within 10 s");
    }
}

/// <summary>Issue 21: <c>waba conversations</c> and <c>waba doctor</c>, run as a user runs them.</summary>
public sealed class CliConversationAndDoctorTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private Microsoft.AspNetCore.Builder.WebApplication _graph = null!;
    private WabaSandbox _sandbox = null!;
    private CliProcess _waba = null!;
    private readonly WabaSandboxOptions _options = new();

    public async ValueTask InitializeAsync()
    {
        // Meta, as far as this test needs it: the token is one Meta no longer honours.
        _graph = LocalApps.Create();
        Microsoft.AspNetCore.Builder.RunExtensions.Run(_graph, async context =>
        {
            context.Response.ContentType = "application/json";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, context.Request.Path.Value!.EndsWith("/debug_token", StringComparison.Ordinal)
                ? """{"data":{"app_id":"670843887433847","is_valid":false,"error":{"code":190,"message":"Session has expired."},"scopes":[]}}"""
                : """{"data":[]}""");
        });
        await _graph.StartAsync(Ct);
        _options.Settings["Meta:BaseUrl"] = _graph.Urls.First();
        _options.Settings["Meta:TokenEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _options.Settings["Meta:AppSecret"] = "app-secret";
        _options.Settings["Meta:VerifyToken"] = "verify";
        _sandbox = await WabaSandbox.StartAsync(_options, Ct);
        _waba = new CliProcess(new Dictionary<string, string>
        {
            ["WABA_URL"] = _sandbox.BaseAddress.ToString(),
            ["WABA_API_KEY"] = _sandbox.ApiKey,
            ["WABA_ADMIN_TOKEN"] = _sandbox.AdminToken,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task Conversations_lists_the_users_and_a_users_messages_by_phone_number()
    {
        var user = _sandbox.User(name: "Kai");
        await user.SayAsync("table for two?", cancellationToken: Ct);
        await _sandbox.Client.SendAsync(Message.Text(user.PhoneNumber, "Yes, at 8"), Ct);

        var list = await _waba.RunOkAsync("conversations", _options.PhoneNumber);
        Assert.Contains(user.PhoneNumber, list.Output, StringComparison.Ordinal);
        var messages = await _waba.RunOkAsync("conversations", "+" + _options.PhoneNumber, user.PhoneNumber, "--json");
        var data = JsonDocument.Parse(messages.Output).RootElement.GetProperty("data");
        Assert.Equal(["outbound", "inbound"], data.EnumerateArray().Select(m => m.GetProperty("direction").GetString()));
        var table = await _waba.RunOkAsync("conversations", _sandbox.PhoneNumberId, user.PhoneNumber);
        Assert.Contains("Yes, at 8", table.Output, StringComparison.Ordinal);

        var unknown = await _waba.RunAsync("conversations", "4900000000000");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("waba numbers", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_names_whats_broken_and_exits_1()
    {
        var quiet = await _waba.RunOkAsync("doctor");
        Assert.Contains("No meta numbers", quiet.Error, StringComparison.Ordinal);

        var admin = new Waba.Client.Gateway.GatewayAdminClient(new HttpClient(), _sandbox.BaseAddress, _sandbox.AdminToken);
        var waba = await admin.CreateWabaAsync("Real", Ct);
        var number = await admin.CreateMetaNumberAsync(waba.Id, "15550783881", "106540352242922", "102290129340398", "EAAG-expired-token", cancellationToken: Ct);

        var run = await _waba.RunAsync("doctor", number.PhoneNumber);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("access_token", run.Output, StringComparison.Ordinal);
        Assert.Contains("Session has expired", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("EAAG-expired-token", run.Output + run.Error, StringComparison.Ordinal);
        var json = await _waba.RunAsync("doctor", "--json");
        var diagnosis = JsonDocument.Parse(json.Output).RootElement[0];
        Assert.False(diagnosis.GetProperty("healthy").GetBoolean());
        Assert.Equal("error", diagnosis.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("name").GetString() == "access_token").GetProperty("status").GetString());
    }
}
