await EchoBot.BotApplication.Create(args).RunAsync();
