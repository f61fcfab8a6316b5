using Waba.Gateway.Storage;
using Waba.Gateway.Templates;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks.Delivery;
using Waba.Gateway.Webhooks.Payloads;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's template store must do.</summary>
public abstract class TemplateStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private ITemplateStore Templates => Get<ITemplateStore>();

    private static MessageTemplate Template(string wabaId, string name, string language, string? rejected = null) =>
        new(wabaId, name, language, "UTILITY", """[{"type":"BODY","text":"Hi {{1}}"}]""", T0, T0.AddSeconds(5), rejected);

    private static NewWebhookEvent Review(Channel channel) =>
        new(WebhookEvents.NewEventId(), channel.Id, "template.approved", HostingType.Cloud, "{}", T0.AddSeconds(5), null);

    [Fact]
    public async Task Create_SameNameAndLanguageTwice_SecondIsRefused_AndLeavesNoEvent()
    {
        var channel = await ChannelAsync();
        var first = Review(channel);

        Assert.True(await Templates.CreateTemplateAsync(Template(channel.WabaId, "order", "en"), [first], Ct));
        Assert.False(await Templates.CreateTemplateAsync(Template(channel.WabaId, "order", "en", "INVALID_FORMAT"), [Review(channel)], Ct));

        var due = await Get<IWebhookOutbox>().ClaimDueAsync("w", T0.AddMinutes(1), TimeSpan.FromMinutes(1), 10, Ct);
        Assert.Equal(first.Id, Assert.Single(due).EventId);
        var kept = await Templates.FindTemplateAsync(channel.WabaId, "order", "en", Ct);
        Assert.Null(kept!.RejectedReason);
        Assert.Equal(T0.AddSeconds(5), kept.ApprovedAt);
        Assert.Equal("""[{"type":"BODY","text":"Hi {{1}}"}]""", kept.Components);
    }

    [Fact]
    public async Task List_IsTheWabasOwn_ByNameThenLanguage()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        await Templates.CreateTemplateAsync(Template(channel.WabaId, "shipping", "en"), [], Ct);
        await Templates.CreateTemplateAsync(Template(channel.WabaId, "shipping", "de", "INVALID_FORMAT"), [], Ct);
        await Templates.CreateTemplateAsync(Template(channel.WabaId, "alert", "en"), [], Ct);
        await Templates.CreateTemplateAsync(Template(other.WabaId, "zzz", "en"), [], Ct);

        var list = await Templates.ListTemplatesAsync(channel.WabaId, Ct);

        Assert.Equal(["alert/en", "shipping/de", "shipping/en"], list.Select(t => $"{t.Name}/{t.Language}"));
        Assert.Equal("INVALID_FORMAT", list[1].RejectedReason);
        Assert.Null(await Templates.FindTemplateAsync(channel.WabaId, "zzz", "en", Ct));
    }

    [Fact]
    public async Task Delete_RemovesEveryLanguageOfTheName_InThisWabaOnly()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        await Templates.CreateTemplateAsync(Template(channel.WabaId, "shipping", "en"), [], Ct);
        await Templates.CreateTemplateAsync(Template(channel.WabaId, "shipping", "de"), [], Ct);
        await Templates.CreateTemplateAsync(Template(other.WabaId, "shipping", "en"), [], Ct);

        Assert.Equal(2, await Templates.DeleteTemplatesAsync(channel.WabaId, "shipping", Ct));
        Assert.Equal(0, await Templates.DeleteTemplatesAsync(channel.WabaId, "shipping", Ct));
        Assert.Empty(await Templates.ListTemplatesAsync(channel.WabaId, Ct));
        Assert.Single(await Templates.ListTemplatesAsync(other.WabaId, Ct));
    }
}

public sealed class SqliteTemplateStoreTests() : TemplateStoreContract(new SqliteEngine());

public sealed class PostgresTemplateStoreTests() : TemplateStoreContract(new PostgresEngine());
