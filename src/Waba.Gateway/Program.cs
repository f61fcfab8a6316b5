using Waba.Gateway.Hosting;

await GatewayApplication.Create(args).RunAsync();
