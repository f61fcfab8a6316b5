namespace Waba.Gateway.Tests.Storage;

public sealed class SqliteTenantStoreTests() : TenantStoreContract(new SqliteEngine());
