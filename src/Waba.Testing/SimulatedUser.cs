using System.Text.Json.Nodes;
using Waba.Client.Gateway;

namespace Waba.Testing;

/// <summary>
/// A WhatsApp user of the sandbox: writes, taps buttons and list rows, reacts, and sees what the business sends, as
/// their phone shows it.
/// </summary>
public sealed class SimulatedUser
{
    private readonly WabaSandbox _sandbox;
    private readonly HashSet<string> _seen = [];

    internal SimulatedUser(WabaSandbox sandbox, string phoneNumber, string name)
    {
        _sandbox = sandbox;
        PhoneNumber = phoneNumber;
        Name = name;
    }

    public string PhoneNumber { get; }
    public string Name { get; }

    /// <summary>
    /// The user hides their phone number from businesses: the business's webhooks then name them only by their BSUID
    /// (<see cref="GatewaySandboxUser.UserId"/>), and answers go there. WhatsApp lets only users with a username hide
    /// their number, so a user without one gets <paramref name="username"/> (by default one made from their name).
    /// </summary>
    public async Task<GatewaySandboxUser> HideNumberAsync(string? username = null, CancellationToken cancellationToken = default)
    {
        var profile = await GetProfileAsync(cancellationToken).ConfigureAwait(false);
        username ??= profile.Username ?? DefaultUsername();
        return await _sandbox.Admin.UpdateSandboxUserAsync(_sandbox.WabaId, PhoneNumber, username, hideNumber: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user shows their phone number to businesses again.</summary>
    public Task<GatewaySandboxUser> ShowNumberAsync(CancellationToken cancellationToken = default) =>
        _sandbox.Admin.UpdateSandboxUserAsync(_sandbox.WabaId, PhoneNumber, hideNumber: false, cancellationToken: cancellationToken);

    private string DefaultUsername()
    {
        var letters = new string([.. Name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
        return $"{(letters.Length == 0 ? "user" : letters[..Math.Min(letters.Length, 24)])}.{PhoneNumber[^4..]}";
    }

    /// <summary>The user as WhatsApp knows them: BSUID, username, whether the business sees their phone.</summary>
    public Task<GatewaySandboxUser> GetProfileAsync(CancellationToken cancellationToken = default) =>
        _sandbox.Admin.GetSandboxUserAsync(_sandbox.WabaId, PhoneNumber, cancellationToken);

    /// <summary>The user writes <paramref name="text"/>; answers the message id the business's webhook will carry.</summary>
    public Task<string> SayAsync(string text, string? replyTo = null, CancellationToken cancellationToken = default) =>
        _sandbox.Users.SayAsync(PhoneNumber, text, Name, replyTo, cancellationToken);

    /// <summary>The user taps the reply button, list row or template button labelled <paramref name="title"/> on the latest message offering it.</summary>
    public Task<string> TapAsync(string title, CancellationToken cancellationToken = default) => _sandbox.Users.TapAsync(PhoneNumber, title, cancellationToken);

    public Task<string> ReactAsync(string messageId, string emoji, CancellationToken cancellationToken = default) =>
        _sandbox.Users.ReactAsync(PhoneNumber, messageId, emoji, cancellationToken);

    /// <summary>The user sends any message (<c>{"type": "location", "location": {...}}</c>).</summary>
    public Task<string> WriteAsync(JsonObject message, CancellationToken cancellationToken = default) =>
        _sandbox.Users.WriteAsync(PhoneNumber, message, Name, null, cancellationToken);

    /// <summary>The chat as the user's phone shows it, oldest first.</summary>
    public async Task<IReadOnlyList<SandboxPhoneMessage>> ChatAsync(CancellationToken cancellationToken = default) =>
        (await _sandbox.Users.GetChatAsync(PhoneNumber, cancellationToken).ConfigureAwait(false)).Messages;

    /// <summary>
    /// Waits for the next message from the business this user has not been shown yet (optionally one whose text
    /// contains <paramref name="containing"/>), and returns it as the phone shows it.
    /// </summary>
    public async Task<SandboxPhoneMessage> WaitForMessageAsync(string? containing = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_sandbox.Options.WaitTimeout);
        IReadOnlyList<SandboxPhoneMessage> chat = [];
        try
        {
            while (true)
            {
                chat = await ChatAsync(limit.Token).ConfigureAwait(false);
                var next = chat.FirstOrDefault(m => m.Direction == "outbound" && !_seen.Contains(m.Id)
                    && (containing is null || m.Text.Contains(containing, StringComparison.Ordinal)));
                if (next is not null)
                {
                    _seen.Add(next.Id);
                    return next;
                }
                await Task.Delay(25, limit.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var shown = chat.Where(m => m.Direction == "outbound").TakeLast(5).Select(m => $"'{m.Text}'").ToList();
            throw new TimeoutException($"{PhoneNumber} got no message{(containing is null ? "" : $" containing '{containing}'")} from the business within "
                + $"{_sandbox.Options.WaitTimeout.TotalSeconds:0.#} s. Latest from the business: {(shown.Count == 0 ? "none" : string.Join(", ", shown))}.");
        }
    }
}
