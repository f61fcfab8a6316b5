using System.Net;
using Waba.Client;
using Waba.Client.Messages;
using Waba.Testing;

namespace Waba.Client.Tests;

/// <summary>WhatsApp's errors arrive as one exception with the dialect's code, whether the client or the server refused.</summary>
public sealed class ErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<WabaDialect, int, int> InvalidMessages => new()
    {
        { WabaDialect.Cloud, 0, 131009 },
        { WabaDialect.Cloud, 1, 131009 },
        { WabaDialect.Cloud, 2, 131009 },
        { WabaDialect.Cloud, 3, 131008 },
        { WabaDialect.Cloud, 4, 131009 },
        { WabaDialect.OnPremise, 0, 1009 },
        { WabaDialect.OnPremise, 3, 1008 },
        { WabaDialect.Graph, 1, 131009 },
    };

    private static WabaMessage Invalid(int which, string to) => which switch
    {
        0 => Message.Buttons(to, "Pick", ReplyButton.Create("a", new string('x', 21))),
        1 => Message.Text(to, new string('a', 4097)),
        2 => Message.Location(to, 91, 13),
        3 => Message.List(to, "Menu", "Open", ListSection.Create("Empty")) with
        {
            Interactive = new InteractiveContent("list") { Body = new InteractiveText("Menu"), Action = new InteractiveAction { Sections = [ListSection.Create("s", new ListRow("1", "One"))] } },
        },
        _ => Message.Buttons(to, "Pick", ReplyButton.Create("a", "A"), ReplyButton.Create("b", "B"), ReplyButton.Create("c", "C"), ReplyButton.Create("d", "D")),
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task The_client_refuses_what_the_server_refuses_with_the_same_code_and_words(WabaDialect dialect, int which, int code)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var user = sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);
        var message = Invalid(which, user.PhoneNumber);

        var refused = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(message, Ct));
        using var unchecked_ = new WabaClient(new WabaClientOptions
        {
            BaseAddress = sandbox.BaseAddress, ApiKey = sandbox.ApiKey, Dialect = dialect, PhoneNumberId = sandbox.PhoneNumberId, ValidateBeforeSend = false,
        });
        var answered = await Assert.ThrowsAsync<WabaApiException>(() => unchecked_.SendAsync(message, Ct));

        Assert.True(refused.IsClientSide);
        Assert.Null(refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, answered.StatusCode);
        Assert.Equal(code, refused.Code);
        Assert.Equal(answered.Code, refused.Code);
        Assert.Equal(answered.Title, refused.Title);
        Assert.Equal(answered.Details, refused.Details);
        Assert.False(refused.IsTransient);
        // Nothing reached the phone: neither refusal sent anything.
        Assert.DoesNotContain(await user.ChatAsync(Ct), m => m.Direction == "outbound");
    }

    /// <summary>
    /// Issue 21: a kind the rules do not know (added by WhatsApp later) is the server's to judge — Meta's, for a number on
    /// Meta — so the client sends it; the sandbox then refuses it itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(LocalApps.Dialects), MemberType = typeof(LocalApps))]
    public async Task A_kind_the_rules_do_not_know_goes_to_the_server(WabaDialect dialect)
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = dialect }, Ct);
        var user = sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);
        var message = Message.Interactive(user.PhoneNumber, new InteractiveContent("order_details") { Body = new InteractiveText("Your order") });

        var refused = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(message, Ct));

        Assert.False(refused.IsClientSide);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("order_details", refused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_template_is_132001_with_404_and_a_trace_id_on_cloud()
    {
        await using var sandbox = await WabaSandbox.StartAsync(cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(Message.Template("4915100000001", "no_such_template", "en"), Ct));

        Assert.Equal(132001, e.Code);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("Template name does not exist in the translation", e.Title);
        Assert.False(string.IsNullOrEmpty(e.FbtraceId));
        Assert.Contains("no_such_template", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_template_is_2001_on_premise()
    {
        await using var sandbox = await WabaSandbox.StartAsync(new WabaSandboxOptions { Dialect = WabaDialect.OnPremise }, Ct);

        var e = await Assert.ThrowsAsync<WabaApiException>(() => sandbox.Client.SendAsync(Message.Template("4915100000001", "no_such_template", "en"), Ct));

        Assert.Equal(2001, e.Code);
        Assert.Equal("Template missing", e.Title);
    }

    [Fact]
    public async Task A_wrong_key_is_401_in_each_dialect_with_the_answers_words()
    {
        await using var sandbox = await WabaSandbox.StartAsync(cancellationToken: Ct);
        foreach (var dialect in new[] { WabaDialect.Cloud, WabaDialect.Graph })
        {
            using var client = new WabaClient(new WabaClientOptions
            {
                BaseAddress = sandbox.BaseAddress, ApiKey = "not-a-key", Dialect = dialect, PhoneNumberId = sandbox.PhoneNumberId,
            });

            var e = await Assert.ThrowsAsync<WabaApiException>(() => client.SendAsync(Message.Text("4915100000001", "hi"), Ct));

            Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
            Assert.Equal(dialect == WabaDialect.Graph ? 190 : 0, e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.Title));
        }
    }

    [Fact]
    public async Task Throttling_is_transient_and_code_130429()
    {
        var options = new WabaSandboxOptions();
        options.Settings["Sandbox:Throughput"] = "1";
        await using var sandbox = await WabaSandbox.StartAsync(options, Ct);
        var user = sandbox.User();
        await user.SayAsync("hi", cancellationToken: Ct);

        WabaApiException? throttled = null;
        for (var i = 0; i < 20 && throttled is null; i++)
        {
            try
            {
                await sandbox.Client.SendAsync(Message.Text(user.PhoneNumber, $"message {i}"), Ct);
            }
            catch (WabaApiException e)
            {
                throttled = e;
            }
        }

        Assert.NotNull(throttled);
        Assert.Equal(130429, throttled.Code);
        Assert.True(throttled.IsTransient);
    }
}
