namespace Waba.Gateway.Tests.Storage;

public sealed class SqliteGatewayStoreTests() : GatewayStoreContract(new SqliteEngine());
