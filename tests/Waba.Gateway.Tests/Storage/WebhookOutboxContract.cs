using Waba.Gateway.Messaging;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;
using Waba.Gateway.Webhooks.Delivery;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's webhook outbox must do: leases, due times, attempts and outcomes, deferral, replay, the log.</summary>
public abstract class WebhookOutboxContract(StorageEngine engine) : StorageContract(engine)
{
    private IWebhookConfigStore Webhooks => Get<IWebhookConfigStore>();

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private IWebhookOutbox Outbox => Get<IWebhookOutbox>();

    private IMessageStore Messages => Get<IMessageStore>();

    private async Task<string> EventAsync(Channel channel, DateTimeOffset at, string payload = """{"n":1}""")
    {
        var id = Waba.Gateway.Webhooks.Payloads.WebhookEvents.NewEventId();
        await Messages.SaveMessageAsync(
            new StoredMessage(Identifiers.NewMessageId(), channel.Id, MessageDirection.Inbound, "4915199999999", "text", "{}", at),
            [new NewWebhookEvent(id, channel.Id, "message.text", channel.HostingType, payload, at, null)], Ct);
        return id;
    }

    [Fact]
    public async Task Claim_LeasesDueEventsOnce_AndAnExpiredLeaseReturnsThem()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var id = await EventAsync(channel, T0);

        var first = await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct);
        Assert.Equal(id, Assert.Single(first).EventId);
        Assert.Empty(await Outbox.ClaimDueAsync("b", T0.AddSeconds(29), Lease, 10, Ct));
        Assert.Equal(T0 + Lease, await Outbox.NextDueAsync(Ct));

        var again = await Outbox.ClaimDueAsync("b", T0.AddSeconds(31), Lease, 10, Ct);
        Assert.Equal(id, Assert.Single(again).EventId);
    }

    [Fact]
    public async Task NextDue_IsTheEarlierOfTheFirstUnleasedEventAndTheFirstLeaseToRunOut()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        await EventAsync(channel, T0);
        Assert.Single(await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct));
        await EventAsync(channel, T0.AddSeconds(10));

        Assert.Equal(T0.AddSeconds(10), await Outbox.NextDueAsync(Ct));

        Assert.Single(await Outbox.ClaimDueAsync("a", T0.AddSeconds(10), Lease, 10, Ct));
        Assert.Equal(T0 + Lease, await Outbox.NextDueAsync(Ct));
        await EventAsync(channel, T0.AddMinutes(5));
        Assert.Equal(T0 + Lease, await Outbox.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Claim_FutureEvent_WaitsUntilDue()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        await EventAsync(channel, T0.AddSeconds(5));
        Assert.Empty(await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct));
        Assert.Equal(T0.AddSeconds(5), await Outbox.NextDueAsync(Ct));
        Assert.Single(await Outbox.ClaimDueAsync("a", T0.AddSeconds(5), Lease, 10, Ct));
    }

    [Fact]
    public async Task Claim_ResolvesTarget_NumberWebhookFirst_WabaWebhookForCloudOnly()
    {
        var cloud = await ChannelAsync(HostingType.Cloud);
        var overriding = await ChannelAsync(HostingType.Cloud, cloud.WabaId);
        var onPremise = await ChannelAsync(HostingType.OnPremise, cloud.WabaId);
        await Webhooks.SetWebhookAsync(WebhookScope.Waba, cloud.WabaId, Hook("http://127.0.0.1:1/waba"), Ct);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, overriding.Id, Hook("http://127.0.0.1:1/number"), Ct);
        var viaWaba = await EventAsync(cloud, T0);
        var viaNumber = await EventAsync(overriding, T0);
        var none = await EventAsync(onPremise, T0);

        var claimed = (await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct)).ToDictionary(d => d.EventId);
        Assert.Equal("http://127.0.0.1:1/waba", claimed[viaWaba].Target!.Url);
        Assert.Equal("1", claimed[viaWaba].Target!.Headers["X-Test"]);
        Assert.Equal(["whsec_c2VjcmV0"], claimed[viaWaba].Target!.Secrets);
        Assert.Equal("http://127.0.0.1:1/number", claimed[viaNumber].Target!.Url);
        Assert.Null(claimed[none].Target);
    }

    /// <summary>Issue 22: a (re)configured webhook makes what waited for it due now; what is planned for later keeps its time.</summary>
    [Fact]
    public async Task MakeDue_TheScopesWaitingEventsBecomeDueNow_PlannedOnesKeepTheirTime()
    {
        var cloud = await ChannelAsync(HostingType.Cloud);
        var sibling = await ChannelAsync(HostingType.OnPremise, cloud.WabaId);
        var elsewhere = await ChannelAsync(HostingType.Cloud);
        var waiting = await EventAsync(cloud, T0);
        var siblings = await EventAsync(sibling, T0);
        var other = await EventAsync(elsewhere, T0);
        var planned = await EventAsync(cloud, T0.AddMinutes(5));
        foreach (var channel in new[] { cloud, sibling, elsewhere })
        {
            // Each failed once and waits an hour for its next attempt.
            var claimed = await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct);
            await Outbox.CompleteAttemptsAsync([.. claimed.Select(d => new CompletedAttempt(
                new DeliveryAttempt(d.EventId, 1, T0, null, null, TimeSpan.Zero, "No webhook is configured for this number.", null, false),
                new DeliveryOutcome(DeliveryState.Pending, T0.AddHours(1))))], Ct);
        }

        Assert.Equal(2, await Outbox.MakeDueAsync(WebhookScope.Waba, cloud.WabaId, T0.AddSeconds(10), Ct));

        var due = (await Outbox.ClaimDueAsync("b", T0.AddSeconds(10), Lease, 10, Ct)).Select(d => d.EventId).ToHashSet();
        Assert.Equal(new HashSet<string> { waiting, siblings }, due);
        Assert.DoesNotContain(other, due);
        Assert.DoesNotContain(planned, due);
        Assert.Equal(1, await Outbox.MakeDueAsync(WebhookScope.PhoneNumber, elsewhere.Id, T0.AddSeconds(10), Ct));
    }

    /// <summary>Issue 21: account-level events (templates, quality) go to the WABA webhook, as Meta sends them to the app's default callback.</summary>
    [Fact]
    public async Task Claim_AccountLevelEvent_GoesToTheWabaWebhookFirst_ElseTheNumbers()
    {
        var overriding = await ChannelAsync(HostingType.Cloud);
        var onPremiseOnly = await ChannelAsync(HostingType.OnPremise);
        await Webhooks.SetWebhookAsync(WebhookScope.Waba, overriding.WabaId, Hook("http://127.0.0.1:1/waba"), Ct);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, overriding.Id, Hook("http://127.0.0.1:1/number"), Ct);
        await Webhooks.SetWebhookAsync(WebhookScope.PhoneNumber, onPremiseOnly.Id, Hook("http://127.0.0.1:1/on-premise"), Ct);
        var toWaba = Waba.Gateway.Webhooks.Payloads.WebhookEvents.NewEventId();
        var toNumber = Waba.Gateway.Webhooks.Payloads.WebhookEvents.NewEventId();
        await Messages.SaveEventsAsync(
        [
            new NewWebhookEvent(toWaba, overriding.Id, "template.approved", HostingType.Cloud, "{}", T0, null, ToWaba: true),
            new NewWebhookEvent(toNumber, onPremiseOnly.Id, "account.account_update", HostingType.Cloud, "{}", T0, null, ToWaba: true),
        ], Ct);

        var claimed = (await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct)).ToDictionary(d => d.EventId);
        Assert.Equal("http://127.0.0.1:1/waba", claimed[toWaba].Target!.Url);
        Assert.Equal("http://127.0.0.1:1/on-premise", claimed[toNumber].Target!.Url);
    }

    [Fact]
    public async Task CompleteAttempt_RecordsAttemptsAndState()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var id = await EventAsync(channel, T0);
        await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct);
        await Outbox.CompleteAttemptsAsync([new CompletedAttempt(new DeliveryAttempt(id, 1, T0, "http://h/1", 500, TimeSpan.FromMilliseconds(12.5), "boom", "err", false),
            new DeliveryOutcome(DeliveryState.Pending, T0.AddSeconds(5)))], Ct);

        Assert.Empty(await Outbox.ClaimDueAsync("a", T0.AddSeconds(4), Lease, 10, Ct));
        var retry = Assert.Single(await Outbox.ClaimDueAsync("a", T0.AddSeconds(5), Lease, 10, Ct));
        Assert.Equal(1, retry.AttemptsSoFar);
        await Outbox.CompleteAttemptsAsync([new CompletedAttempt(new DeliveryAttempt(id, 2, T0.AddSeconds(5), "http://h/1", 200, TimeSpan.FromMilliseconds(90), null, "ok", true, Slow: true),
            new DeliveryOutcome(DeliveryState.Delivered, null))], Ct);

        var record = Assert.Single(await Outbox.ListDeliveriesAsync(new DeliveryQuery(null, null, id, null, null, 10, null), Ct));
        Assert.Equal(DeliveryState.Delivered, record.State);
        Assert.Null(record.NextAttemptAt);
        Assert.Equal([500, 200], record.Attempts.Select(a => a.StatusCode));
        Assert.Equal(12.5, record.Attempts[0].Latency.TotalMilliseconds);
        Assert.True(record.Attempts[1].Slow);
        Assert.Equal("boom", record.Attempts[0].Error);
        Assert.Null(await Outbox.NextDueAsync(Ct));
    }

    [Fact]
    public async Task Defer_PostponesWithoutAnAttempt()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var id = await EventAsync(channel, T0);
        await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct);
        await Outbox.DeferAsync([new Deferral(id, T0.AddSeconds(3))], Ct);
        Assert.Empty(await Outbox.ClaimDueAsync("a", T0.AddSeconds(2), Lease, 10, Ct));
        Assert.Equal(0, Assert.Single(await Outbox.ClaimDueAsync("b", T0.AddSeconds(3), Lease, 10, Ct)).AttemptsSoFar);
    }

    [Fact]
    public async Task CompleteAttempts_ABatch_RecordsEachOutcome_AndOneDuplicateRecordsNone()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var delivered = await EventAsync(channel, T0);
        var retried = await EventAsync(channel, T0);
        var failed = await EventAsync(channel, T0);
        Assert.Equal(3, (await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct)).Count);

        await Outbox.CompleteAttemptsAsync(
        [
            new CompletedAttempt(new DeliveryAttempt(delivered, 1, T0, "http://h/1", 200, TimeSpan.FromMilliseconds(3), null, "ok", true),
                new DeliveryOutcome(DeliveryState.Delivered, null)),
            new CompletedAttempt(new DeliveryAttempt(retried, 1, T0, "http://h/1", 503, TimeSpan.FromMilliseconds(4), "busy", null, false),
                new DeliveryOutcome(DeliveryState.Pending, T0.AddSeconds(5))),
            new CompletedAttempt(new DeliveryAttempt(failed, 1, T0, "http://h/1", 410, TimeSpan.FromMilliseconds(5), "gone", null, false),
                new DeliveryOutcome(DeliveryState.Failed, null)),
        ], Ct);

        var records = (await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 10, null), Ct)).ToDictionary(r => r.EventId);
        Assert.Equal(DeliveryState.Delivered, records[delivered].State);
        Assert.Equal(T0.AddMilliseconds(3), records[delivered].DeliveredAt);
        Assert.Equal(DeliveryState.Pending, records[retried].State);
        Assert.Equal(T0.AddSeconds(5), records[retried].NextAttemptAt);
        Assert.Equal(DeliveryState.Failed, records[failed].State);
        Assert.Equal([200, 503, 410], new[] { delivered, retried, failed }.Select(id => Assert.Single(records[id].Attempts).StatusCode));
        // The retried delivery's lease was freed with its outcome: it is claimable when due.
        Assert.Equal(retried, Assert.Single(await Outbox.ClaimDueAsync("b", T0.AddSeconds(5), Lease, 10, Ct)).EventId);

        // Attempt 1 of `retried` is already recorded: the batch holding it again records nothing at all.
        await Assert.ThrowsAnyAsync<Exception>(() => Outbox.CompleteAttemptsAsync(
        [
            new CompletedAttempt(new DeliveryAttempt(retried, 2, T0.AddSeconds(5), "http://h/1", 200, TimeSpan.FromMilliseconds(2), null, null, true),
                new DeliveryOutcome(DeliveryState.Delivered, null)),
            new CompletedAttempt(new DeliveryAttempt(retried, 1, T0.AddSeconds(5), "http://h/1", 200, TimeSpan.FromMilliseconds(2), null, null, true),
                new DeliveryOutcome(DeliveryState.Delivered, null)),
        ], Ct));
        var after = Assert.Single(await Outbox.ListDeliveriesAsync(new DeliveryQuery(null, null, retried, null, null, 10, null), Ct));
        Assert.Equal(DeliveryState.Pending, after.State);
        Assert.Single(after.Attempts);
    }

    [Fact]
    public async Task Defer_ABatch_PostponesEachToItsOwnTime_AndLeavesFinishedDeliveriesAlone()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var soon = await EventAsync(channel, T0);
        var later = await EventAsync(channel, T0);
        var done = await EventAsync(channel, T0);
        await Outbox.ClaimDueAsync("a", T0, Lease, 10, Ct);
        await Outbox.CompleteAttemptsAsync([new CompletedAttempt(new DeliveryAttempt(done, 1, T0, "http://h/1", 200, TimeSpan.FromMilliseconds(1), null, null, true),
            new DeliveryOutcome(DeliveryState.Delivered, null))], Ct);

        await Outbox.DeferAsync([new Deferral(soon, T0.AddSeconds(2)), new Deferral(later, T0.AddSeconds(9)), new Deferral(done, T0.AddSeconds(1))], Ct);

        Assert.Empty(await Outbox.ClaimDueAsync("b", T0.AddSeconds(1), Lease, 10, Ct));
        Assert.Equal(soon, Assert.Single(await Outbox.ClaimDueAsync("b", T0.AddSeconds(2), Lease, 10, Ct)).EventId);
        Assert.Equal(later, Assert.Single(await Outbox.ClaimDueAsync("b", T0.AddSeconds(9), Lease, 10, Ct)).EventId);
        var finished = Assert.Single(await Outbox.ListDeliveriesAsync(new DeliveryQuery(null, null, done, null, null, 10, null), Ct));
        Assert.Equal(DeliveryState.Delivered, finished.State);
    }

    [Fact]
    public async Task Recorder_WritesInBatches_AndAnAttemptThatCannotBeRecordedFailsAlone()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await EventAsync(channel, T0));
        }
        Assert.Equal(40, (await Outbox.ClaimDueAsync("a", T0, Lease, 100, Ct)).Count);
        var duplicate = ids[20];
        await Outbox.CompleteAttemptsAsync([new CompletedAttempt(new DeliveryAttempt(duplicate, 1, T0, "http://h/1", 500, TimeSpan.FromMilliseconds(1), "x", null, false),
            new DeliveryOutcome(DeliveryState.Pending, T0.AddSeconds(5)))], Ct);

        Task? duplicateRecorded = null;
        var others = new List<Task>();
        await using (var recorder = new DeliveryRecorder(Outbox))
        {
            foreach (var id in ids)
            {
                var recorded = recorder.CompleteAsync(new DeliveryAttempt(id, 1, T0, "http://h/1", 200, TimeSpan.FromMilliseconds(1), null, null, true),
                    new DeliveryOutcome(DeliveryState.Delivered, null));
                if (id == duplicate)
                {
                    duplicateRecorded = recorded;
                }
                else
                {
                    others.Add(recorded);
                }
            }
            await Task.WhenAll(others);
            await Assert.ThrowsAnyAsync<Exception>(() => duplicateRecorded!);
        }

        var records = (await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 100, null), Ct)).ToDictionary(r => r.EventId);
        Assert.All(ids.Where(id => id != duplicate), id => Assert.Equal(DeliveryState.Delivered, records[id].State));
        Assert.Equal(DeliveryState.Pending, records[duplicate].State);
        Assert.Equal(500, Assert.Single(records[duplicate].Attempts).StatusCode);
    }

    [Fact]
    public async Task Replay_FailedEventsInRange_RestartsTheirWindow()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var other = await ChannelAsync(HostingType.OnPremise);
        var early = await EventAsync(channel, T0);
        var late = await EventAsync(channel, T0.AddHours(1));
        var foreign = await EventAsync(other, T0);
        foreach (var id in new[] { early, late, foreign })
        {
            await Outbox.CompleteAttemptsAsync([new CompletedAttempt(new DeliveryAttempt(id, 1, T0, null, null, TimeSpan.Zero, "down", null, false),
                new DeliveryOutcome(DeliveryState.Failed, null))], Ct);
        }

        var replayed = await Outbox.ReplayAsync(new ReplaySelection(null, channel.Id, T0, T0.AddMinutes(30)), T0.AddDays(2), Ct);
        Assert.Equal(1, replayed);
        var claimed = Assert.Single(await Outbox.ClaimDueAsync("a", T0.AddDays(2), Lease, 10, Ct));
        Assert.Equal(early, claimed.EventId);
        Assert.Equal(T0.AddDays(2), claimed.WindowStart);
        Assert.Equal(1, claimed.AttemptsBeforeReplay);

        Assert.Equal(1, await Outbox.ReplayAsync(new ReplaySelection(late, null, null, null), T0.AddDays(2), Ct));
        Assert.Equal(0, await Outbox.ReplayAsync(new ReplaySelection("evt_missing", null, null, null), T0.AddDays(2), Ct));
    }

    [Fact]
    public async Task ListDeliveries_PagesInCreationOrderAndFilters()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var other = await ChannelAsync(HostingType.OnPremise);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await EventAsync(channel, T0.AddMinutes(i)));
        }
        await EventAsync(other, T0);

        var page1 = await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 3, null), Ct);
        var page2 = await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 3, page1[^1].EventId), Ct);
        Assert.Equal(ids, page1.Concat(page2).Select(r => r.EventId));
        var newest1 = await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 3, null, NewestFirst: true), Ct);
        var newest2 = await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, null, null, null, null, 3, newest1[^1].EventId, NewestFirst: true), Ct);
        Assert.Equal(Enumerable.Reverse(ids), newest1.Concat(newest2).Select(r => r.EventId));
        var ranged = await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, DeliveryState.Pending, null, T0.AddMinutes(1), T0.AddMinutes(3), 10, null), Ct);
        Assert.Equal(ids[1..3], ranged.Select(r => r.EventId));
        Assert.Empty(await Outbox.ListDeliveriesAsync(new DeliveryQuery(channel.Id, DeliveryState.Failed, null, null, null, 10, null), Ct));
    }

    [Fact]
    public async Task Claim_ConcurrentWorkers_TakeDisjointSetsThatCoverEverything()
    {
        var channel = await ChannelAsync(HostingType.OnPremise);
        var all = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            all.Add(await EventAsync(channel, T0));
        }

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await Outbox.ClaimDueAsync($"w{w}", T0, Lease, 7, Ct);
                if (batch.Count == 0)
                {
                    return mine;
                }
                mine.AddRange(batch.Select(d => d.EventId));
            }
        })).ToList();
        var claimed = (await Task.WhenAll(workers)).SelectMany(x => x).ToList();

        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(all, claimed.ToHashSet());
    }
}

public sealed class SqliteWebhookOutboxTests() : WebhookOutboxContract(new SqliteEngine());

public sealed class PostgresWebhookOutboxTests() : WebhookOutboxContract(new PostgresEngine());
