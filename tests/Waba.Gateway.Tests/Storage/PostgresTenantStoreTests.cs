namespace Waba.Gateway.Tests.Storage;

public sealed class PostgresTenantStoreTests() : TenantStoreContract(new PostgresEngine());
