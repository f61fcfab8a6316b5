using System.Security.Cryptography;
using System.Text.Json;
using Waba.Client;
using Waba.Client.Messages;
using Waba.Client.Templates;
using Waba.Client.Webhooks;
using Waba.Testing;

namespace Waba.Client.Tests;

/// <summary>Media, templates, webhook configuration, read receipts and the contacts check, against the real gateway.</summary>
public sealed class ApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task Media_uploaded_comes_back_byte_for_byte_and_is_gone_after_delete(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var bytes = new byte[200_000];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; // a JPEG's first bytes

        var id = await sandbox.Client.UploadMediaAsync(new MemoryStream(bytes), "image/jpeg", "photo.jpg", Ct);
        await using (var download = await sandbox.Client.DownloadMediaAsync(id, Ct))
        {
            using var copy = new MemoryStream();
            await download.Content.CopyToAsync(copy, Ct);
            Assert.Equal(bytes, copy.ToArray());
            Assert.Equal("image/jpeg", download.MimeType);
        }
        if (dialect != WabaDialect.OnPremise)
        {
            var info = await sandbox.Client.GetMediaAsync(id, Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), info.Sha256);
            Assert.Equal(bytes.Length, info.FileSize);
        }

        await sandbox.Client.DeleteMediaAsync(id, Ct);
        var gone = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.DownloadMediaAsync(id, Ct));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task A_users_photo_arrives_by_webhook_and_downloads_as_sent(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var user = sandbox.User(name: "Kai");
        await user.WriteAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "image",
            ["image"] = new System.Text.Json.Nodes.JsonObject { ["data"] = Convert.ToBase64String(MessageTypesTests.Png), ["mime_type"] = "image/png", ["caption"] = "me" },
        }, Ct);

        var photo = await sandbox.Webhooks.WaitForMessageAsync(m => m.Type == "image", Ct);
        Assert.Equal("me", photo.Image!.Caption);
        await using var download = await sandbox.Client.DownloadMediaAsync(photo.Image.Id, Ct);
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy, Ct);
        Assert.Equal(MessageTypesTests.Png, copy.ToArray());
    }

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task Templates_are_created_listed_approved_and_deleted(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var components = JsonDocument.Parse("""[{"type":"BODY","text":"Your code is {{1}}.","example":{"body_text":[["1234"]]}}]""").RootElement.Clone();

        var created = await sandbox.Client.CreateTemplateAsync(new TemplateDefinition("login_code", "en", "AUTHENTICATION", components), Ct);
        Assert.Equal("login_code", created.Name);
        await MessageTypesTests.WaitUntilApprovedAsync(sandbox.Client, "login_code");
        var listed = await sandbox.Client.ListTemplatesAsync(Ct);
        Assert.Contains(listed, t => t.Name == "hello_world" && t.IsApproved);
        var mine = listed.Single(t => t.Name == "login_code");
        Assert.Equal("en", mine.Language);
        Assert.Contains("Your code is {{1}}.", mine.Components.GetRawText(), StringComparison.Ordinal);

        await sandbox.Client.DeleteTemplateAsync("login_code", Ct);
        Assert.DoesNotContain(await sandbox.Client.ListTemplatesAsync(Ct), t => t.Name == "login_code");
    }

    [Fact]
    public async Task A_webhook_set_answers_its_secret_once_and_reads_back()
    {
        await using var sandbox = await WabaSandbox.StartAsync(cancellationToken: Ct);
        Assert.StartsWith("whsec_", sandbox.WebhookSecret, StringComparison.Ordinal);

        var set = await sandbox.Client.SetWebhookAsync("http://127.0.0.1:9/hook", new Dictionary<string, string> { ["X-Team"] = "bots" }, cancellationToken: Ct);
        Assert.Null(set.SigningSecret);
        var read = await sandbox.Client.GetWebhookAsync(Ct);
        Assert.Equal("http://127.0.0.1:9/hook", read.Url);
        var rotated = await sandbox.Client.SetWebhookAsync("http://127.0.0.1:9/hook", rotateSecret: true, cancellationToken: Ct);
        Assert.StartsWith("whsec_", rotated.SigningSecret, StringComparison.Ordinal);
        Assert.NotEqual(sandbox.WebhookSecret, rotated.SigningSecret);

        var waba = await sandbox.Client.SetWabaWebhookAsync("http://127.0.0.1:9/waba", cancellationToken: Ct);
        Assert.Equal("http://127.0.0.1:9/waba", (await sandbox.Client.GetWabaWebhookAsync(Ct)).Url);
        Assert.Equal("http://127.0.0.1:9/waba", waba.Url);
    }

    [Fact]
    public async Task Graph_has_no_webhook_configuration_and_cloud_no_contacts_check()
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = WabaDialect.Graph }, Ct);
        await Assert.ThrowsAsync<NotSupportedException>(() => sandbox.Client.SetWebhookAsync("http://127.0.0.1:9/hook", cancellationToken: Ct));
        await Assert.ThrowsAsync<NotSupportedException>(() => sandbox.Client.CheckContactsAsync(["+4915112345678"], Ct));
    }

    [Fact]
    public async Task The_on_premise_contacts_check_answers_each_number()
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = WabaDialect.OnPremise }, Ct);

        var checkedNumbers = await sandbox.Client.CheckContactsAsync(["+49 151 1234 5678", "9991234567"], Ct);

        Assert.Collection(checkedNumbers,
            valid => { Assert.Equal("+49 151 1234 5678", valid.Input); Assert.Equal("valid", valid.Status); Assert.Equal("4915112345678", valid.WaId); },
            invalid => Assert.Equal("invalid", invalid.Status));
    }

    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task Webhook_events_read_the_same_in_both_shapes(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var user = sandbox.User(name: "Kai");

        var inboundId = await user.SayAsync("hello", cancellationToken: Ct);
        await sandbox.Client.MarkAsReadAsync(inboundId, Ct);
        var sent = await sandbox.Client.SendAsync(Message.Text(user.PhoneNumber, "Hi Kai"), Ct);
        var read = await sandbox.Webhooks.WaitForStatusAsync(sent.Id, "read", Ct);

        var events = await sandbox.Webhooks.ListAsync(Ct);
        var message = events.Single(e => e.Kind == WebhookEventKind.Message);
        Assert.Equal(inboundId, message.Message!.Id);
        Assert.Equal("hello", message.Message.DisplayText);
        Assert.Equal(user.PhoneNumber, message.Message.From);
        Assert.Equal("Kai", message.Contact?.Profile?.Name);
        Assert.NotNull(message.Timestamp);
        Assert.Equal(["sent", "delivered", "read"], events.Where(e => e.Kind == WebhookEventKind.Status).Select(e => e.Status!.Status));
        Assert.Equal(user.PhoneNumber, read.RecipientId);
        if (dialect != WabaDialect.OnPremise)
        {
            Assert.Equal(sandbox.PhoneNumberId, message.PhoneNumberId);
            Assert.Equal(sandbox.WabaId, message.WabaId);
        }
    }
}
