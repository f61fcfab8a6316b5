using System.CommandLine;
using Waba.Cli.Commands;
using Waba.Cli.Settings;

var root = new RootCommand("waba: the Waba Gateway's command line. Send WhatsApp messages, manage numbers, keys and webhooks, replay deliveries, play sandbox users, run the gateway.");
foreach (var option in GlobalOptions.All)
{
    root.Options.Add(option);
}
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(SendCommands.Create());
root.Subcommands.Add(AdminCommands.Numbers());
root.Subcommands.Add(AdminCommands.Keys());
root.Subcommands.Add(WebhookCommands.Create());
root.Subcommands.Add(DeliveryCommands.Create());
root.Subcommands.Add(ConversationCommands.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(SandboxCommands.Create());
root.Subcommands.Add(ConfigCommands.Create());
root.Subcommands.Add(HelpMarkdownCommand.Create(root));

var parse = root.Parse(args);
// Parse errors (an unknown verb, a missing argument) are usage errors: exit code 2, as the docs say.
if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
{
    await parse.InvokeAsync();
    return 2;
}
return await parse.InvokeAsync();
