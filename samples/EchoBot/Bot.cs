using Waba.Client;
using Waba.Client.Messages;
using Waba.Client.Webhooks;

namespace EchoBot;

/// <summary>Echoes every text back; "menu" gets a list, and the chosen row is confirmed.</summary>
public sealed class Bot(WabaClient whatsApp)
{
    public async Task HandleAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        if (e.Kind != WebhookEventKind.Message || e.Message!.From is not { } from)
        {
            return;
        }
        var message = e.Message;
        await whatsApp.MarkAsReadAsync(message.Id, cancellationToken);
        WabaMessage? answer = message switch
        {
            { Text.Body: var text } when text.Trim().Equals("menu", StringComparison.OrdinalIgnoreCase) =>
                Message.List(from, "What would you like today?", "Choose",
                    ListSection.Create("Mains", new ListRow("margherita", "Margherita", "Tomato, mozzarella, basil"), new ListRow("carbonara", "Carbonara")),
                    ListSection.Create("Sides", new ListRow("salad", "Caesar salad"))),
            { Interactive.ListReply: { } row } => Message.Text(from, $"You chose {row.Title}. It is on its way!"),
            { Text.Body: var text } => Message.Text(from, text),
            _ => null,
        };
        if (answer is not null)
        {
            // `from` is the phone number, or the business-scoped id of a user who hides it: the builders address either.
            await whatsApp.SendAsync(answer, cancellationToken);
        }
    }
}
