namespace Waba.Gateway.Tests.Storage;

public sealed class PostgresGatewayStoreTests() : GatewayStoreContract(new PostgresEngine());
