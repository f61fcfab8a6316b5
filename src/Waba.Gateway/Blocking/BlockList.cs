using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Waba.Gateway.Configuration;
using Waba.Gateway.Storage;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Blocking;

/// <param name="WaId">The phone number, when the business may see it; a user blocked by BSUID shows only <paramref name="UserId"/>.</param>
public sealed record BlockedUser(string Input, string? WaId, IReadOnlyList<BlockError>? Errors = null, string? UserId = null);

public sealed record BlockErrorData(string Details);

public sealed record BlockError(string Message, int Code, BlockErrorData ErrorData);

public sealed record BlockOutcome(
    IReadOnlyList<BlockedUser>? AddedUsers = null,
    IReadOnlyList<BlockedUser>? RemovedUsers = null,
    IReadOnlyList<BlockedUser>? FailedUsers = null);

public sealed record BlockAnswer(string MessagingProduct, BlockOutcome BlockUsers, Dialects.CloudError? Error = null);

public sealed record BlockedEntry(string MessagingProduct, string WaId);

public sealed record BlockedList(IReadOnlyList<BlockedEntry> Data, Dialects.Graph.GraphPaging Paging);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BlockAnswer))]
[JsonSerializable(typeof(BlockedList))]
internal sealed partial class BlockJsonContext : JsonSerializerContext;

/// <summary>
/// Meta's block rules for sandbox numbers: only users who wrote within the customer-service window can be blocked,
/// at most 1,000 per request and 64,000 in all. A blocked user's messages no longer arrive and sends to them fail.
/// </summary>
public sealed class BlockList(IBlockListStore store, Messaging.IMessageStore messages, IOptions<Sandbox.SandboxOptions> sandbox, TimeProvider time)
{
    public const int MaxPerRequest = 1000;
    public const int MaxBlocked = 64_000;

    private readonly TimeSpan _window = Durations.Parse(sandbox.Value.CustomerServiceWindow, "Sandbox:CustomerServiceWindow");

    public IBlockListStore Store => store;

    /// <param name="users">Each as the business named it, and the phone number behind it (null: an unknown BSUID).</param>
    public async Task<BlockOutcome> BlockAsync(Channel channel, IReadOnlyList<(string Input, string? WaId)> users, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var added = new List<BlockedUser>();
        var failed = new List<BlockedUser>();
        var room = MaxBlocked - await store.CountAsync(channel.Id, cancellationToken);
        foreach (var (input, phone) in users)
        {
            if (phone is not { } waId)
            {
                failed.Add(new BlockedUser(input, null, [new BlockError("Invalid user", 100, new BlockErrorData($"No WhatsApp user has the id {input} with this business."))]));
            }
            else if (await messages.LastInboundAsync(channel.Id, waId, cancellationToken) is not { } last || now - last >= _window)
            {
                failed.Add(new BlockedUser(input, waId, [new BlockError("Re-engagement required", 131047,
                    new BlockErrorData("Only users who messaged this number in the last 24 hours can be blocked."))]));
            }
            else if (added.Count >= room)
            {
                failed.Add(new BlockedUser(input, waId, [new BlockError("Blocklist limit reached", 139101,
                    new BlockErrorData($"The block list holds at most {MaxBlocked} users."))]));
            }
            else
            {
                added.Add(new BlockedUser(input, waId));
            }
        }
        await store.BlockAsync(channel.Id, added.Select(u => u.WaId!).ToList(), now, cancellationToken);
        return new BlockOutcome(AddedUsers: added, FailedUsers: failed.Count > 0 ? failed : null);
    }
}
