using Waba.Client;
using Waba.Client.Messages;
using Waba.Testing;

namespace Waba.Client.Tests;

/// <summary>Every message type the gateway validates, built with the SDK and sent in each dialect to the real gateway.</summary>
public sealed class MessageTypesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task Every_message_type_is_accepted_and_reaches_the_users_phone(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var user = sandbox.User(name: "Kai");
        var to = user.PhoneNumber;
        // The user writes first: free-form messages need the 24-hour customer-service window.
        var greeting = await user.SayAsync("hi", cancellationToken: Ct);
        var png = await sandbox.Client.UploadMediaAsync(new MemoryStream(Png), "image/png", "dot.png", Ct);

        var messages = new (string Name, WabaMessage Message)[]
        {
            ("text", Message.Text(to, "Hello *Kai*")),
            ("text with preview", Message.Text(to, "See https://example.com", previewUrl: true)),
            ("image by id", Message.Image(to, MediaSource.FromId(png), "a dot")),
            ("image by link", Message.Image(to, MediaSource.FromLink("https://example.com/cat.jpg"))),
            ("video", Message.Video(to, MediaSource.FromLink("https://example.com/clip.mp4"), "clip")),
            ("audio", Message.Audio(to, MediaSource.FromLink("https://example.com/voice.ogg"))),
            ("document", Message.Document(to, MediaSource.FromLink("https://example.com/invoice.pdf"), "Invoice", "invoice.pdf")),
            ("sticker", Message.Sticker(to, MediaSource.FromLink("https://example.com/smile.webp"))),
            ("location", Message.Location(to, 52.52, 13.405, "Brandenburg Gate", "Pariser Platz")),
            ("contacts", Message.ContactCards(to, Contact.Create("Ana Lima", "+4915112345678", "4915112345678"))),
            ("buttons", Message.Buttons(to, "Pick one", ReplyButton.Create("yes", "Yes"), ReplyButton.Create("no", "No"))),
            ("list", Message.List(to, "Our menu", "Open", ListSection.Create("Mains", new ListRow("m1", "Margherita", "Tomato"), new ListRow("m2", "Carbonara")))),
            ("cta_url", Message.CtaUrl(to, "Track your order", "Track", "https://example.com/track/42")),
            ("product", Message.Product(to, "catalog-1", "sku-1", "Our best seller")),
            ("product_list", Message.ProductList(to, "Summer", "Pick a product", "catalog-1", ListSection.Products("Shirts", "sku-1", "sku-2"))),
            ("flow", Message.Flow(to, "Book a table", "Book", "1234567890", "token-1", "navigate", "WELCOME")),
            ("template", Message.Template(to, "hello_world", "en_US")),
            ("reaction", Message.React(to, greeting, "👍")),
            ("reply", Message.Text(to, "Answering you").InReplyTo(greeting)),
            ("buttons with header and footer", Message.Interactive(to,
                new InteractiveContent("button") { Body = new InteractiveText("Confirm?"), Action = new InteractiveAction { Buttons = [ReplyButton.Create("ok", "OK")] } }
                    .WithHeader("Order 42").WithFooter("Reply within 24 h"))),
        };

        var sent = new List<(string Name, string Id)>();
        foreach (var (name, message) in messages)
        {
            try
            {
                var result = await sandbox.Client.SendAsync(message, Ct);
                Assert.False(string.IsNullOrEmpty(result.Id), $"{dialect} {name}: no message id");
                sent.Add((name, result.Id));
            }
            catch (WabaApiException e)
            {
                Assert.Fail($"{dialect} {name}: {e.Message}");
            }
        }

        var chat = await user.ChatAsync(Ct);
        foreach (var (name, id) in sent)
        {
            Assert.True(chat.Any(m => m.Id == id && m.Direction == "outbound"), $"{dialect} {name}: {id} is not on the user's phone");
        }
        var template = chat.Single(m => m.Type == "template");
        Assert.Contains("Hello World", template.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task A_template_with_parameters_of_every_body_kind_is_filled_in_on_the_phone(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var components = System.Text.Json.JsonDocument.Parse("""
            [{"type":"HEADER","format":"TEXT","text":"Order {{1}}","example":{"header_text":["42"]}},
             {"type":"BODY","text":"Hi {{1}}, you paid {{2}} on {{3}}. Thanks!","example":{"body_text":[["Kai","€9.99","May 1"]]}},
             {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Track it"}]}]
            """).RootElement.Clone();
        await sandbox.Client.CreateTemplateAsync(new Templates.TemplateDefinition("order_paid", "en", "UTILITY", components), Ct);
        await WaitUntilApprovedAsync(sandbox.Client, "order_paid");
        var user = sandbox.User(name: "Kai");

        var sent = await sandbox.Client.SendAsync(Message.Template(user.PhoneNumber, "order_paid", "en",
            TemplateComponent.Header(TemplateParameter.ForText("42")),
            TemplateComponent.Body(TemplateParameter.ForText("Kai"), TemplateParameter.ForCurrency("€9.99", "EUR", 9990),
                TemplateParameter.ForDateTime("May 1")),
            TemplateComponent.QuickReply(0, "track-42")), Ct);

        var shown = await user.WaitForMessageAsync(cancellationToken: Ct);
        Assert.Equal(sent.Id, shown.Id);
        Assert.Equal("Order 42\nHi Kai, you paid €9.99 on May 1. Thanks!", shown.Text);
        // Tapping the quick reply sends the payload the business gave that button.
        await user.TapAsync("Track it", Ct);
        var tap = await sandbox.Webhooks.WaitForMessageAsync(m => m.Type == "button", Ct);
        Assert.Equal("track-42", tap.ChoiceId);
        Assert.Equal(sent.Id, tap.Context?.Id);
    }

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task A_template_with_named_parameters_shows_their_values_and_wrong_names_are_refused(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var components = System.Text.Json.JsonDocument.Parse("""
            [{"type":"BODY","text":"Hello {{first_name}}, your table for {{guests}} is ready.",
              "example":{"body_text_named_params":[{"param_name":"first_name","example":"Kai"},{"param_name":"guests","example":"4"}]}}]
            """).RootElement.Clone();
        await sandbox.Client.CreateTemplateAsync(new Templates.TemplateDefinition("table_ready", "en", "UTILITY", components) { ParameterFormat = "NAMED" }, Ct);
        await WaitUntilApprovedAsync(sandbox.Client, "table_ready");
        var user = sandbox.User(name: "Kai");

        // Named parameters may come in any order.
        var sent = await sandbox.Client.SendAsync(Message.Template(user.PhoneNumber, "table_ready", "en",
            TemplateComponent.Body(TemplateParameter.ForText("2", "guests"), TemplateParameter.ForText("Kai", "first_name"))), Ct);
        var shown = await user.WaitForMessageAsync(cancellationToken: Ct);
        Assert.Equal(sent.Id, shown.Id);
        Assert.Equal("Hello Kai, your table for 2 is ready.", shown.Text);

        var wrongName = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(Message.Template(user.PhoneNumber, "table_ready", "en",
            TemplateComponent.Body(TemplateParameter.ForText("Kai", "firstname"), TemplateParameter.ForText("2", "guests"))), Ct));
        Assert.Equal(dialect == WabaDialect.OnPremise ? 2000 : 132000, wrongName.Code);
        Assert.Contains("'firstname'", wrongName.Message + wrongName.Details, StringComparison.Ordinal);
        var unnamed = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(Message.Template(user.PhoneNumber, "table_ready", "en",
            TemplateComponent.Body(TemplateParameter.ForText("Kai"), TemplateParameter.ForText("2"))), Ct));
        Assert.Equal(dialect == WabaDialect.OnPremise ? 2000 : 132000, unnamed.Code);
    }

    internal static async Task WaitUntilApprovedAsync(WabaClient client, string name)
    {
        for (var i = 0; i < 200; i++)
        {
            var templates = await client.ListTemplatesAsync(Ct);
            if (templates.Any(t => t.Name == name && t.IsApproved))
            {
                return;
            }
            await Task.Delay(25, Ct);
        }
        Assert.Fail($"{name} was not approved");
    }

    /// <summary>A 1×1 PNG.</summary>
    internal static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
}
