using Npgsql;
using Waba.Gateway.Storage;
using Waba.Gateway.Storage.Postgres;
using Waba.Gateway.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds the configured storage engine and migrates its schema when the host starts.</summary>
    public static IServiceCollection AddGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(StorageOptions.Section);
        services.AddOptions<StorageOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        if (string.Equals(section[nameof(StorageOptions.Provider)], "postgres", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(section["Postgres:ConnectionString"] ?? string.Empty));
            services.AddSingleton<IStorageSchema, PostgresDatabase>();
            services.AddSingleton<PostgresGroupCommit>();
            services.AddSingleton<Waba.Gateway.Tenancy.ITenantStore, PostgresTenantStore>();
            services.AddSingleton<Waba.Gateway.Templates.ITemplateStore, PostgresTemplateStore>();
            services.AddSingleton<Waba.Gateway.Media.IMediaStore, PostgresMediaStore>();
            services.AddSingleton<Waba.Gateway.Meta.IMetaStore, PostgresMetaStore>();
            services.AddSingleton<Waba.Gateway.Messaging.IMessageStore, PostgresMessageStore>();
            services.AddSingleton<Waba.Gateway.Webhooks.IWebhookConfigStore, PostgresWebhookConfigStore>();
            services.AddSingleton<Waba.Gateway.Webhooks.Delivery.IWebhookOutbox, PostgresWebhookOutbox>();
            services.AddSingleton<Waba.Gateway.Profiles.IBusinessProfileStore, PostgresBusinessProfileStore>();
            services.AddSingleton<Waba.Gateway.Blocking.IBlockListStore, PostgresBlockListStore>();
            services.AddSingleton<Waba.Gateway.Sandbox.ISandboxUserStore, PostgresSandboxUserStore>();
            services.AddSingleton<Waba.Gateway.Sandbox.Page.ISandboxPageStore, PostgresSandboxPageStore>();
            services.AddSingleton<Waba.Gateway.Numbers.IAccountStateStore, PostgresAccountStateStore>();
            services.AddSingleton<Waba.Gateway.Conversations.IConversationStore, PostgresConversationStore>();
            services.AddSingleton<Waba.Gateway.Admin.IAdminKeyStore, PostgresAdminKeyStore>();
            services.AddSingleton<Waba.Gateway.Numbers.INumberSettingsStore, PostgresNumberSettingsStore>();
            services.AddHostedService<StorageInitializer>();
            services.AddHostedService<EventNotificationListener>();
        }
        else
        {
            // One engine object owns the writer connection; the capability stores write through it.
            services.AddSingleton<SqliteReadCache>();
            services.AddSingleton<SqliteDatabase>();
            services.AddSingleton<IStorageSchema>(provider => provider.GetRequiredService<SqliteDatabase>());
            services.AddSingleton<Waba.Gateway.Tenancy.ITenantStore, SqliteTenantStore>();
            services.AddSingleton<Waba.Gateway.Templates.ITemplateStore, SqliteTemplateStore>();
            services.AddSingleton<Waba.Gateway.Media.IMediaStore, SqliteMediaStore>();
            services.AddSingleton<Waba.Gateway.Meta.IMetaStore, SqliteMetaStore>();
            services.AddSingleton<Waba.Gateway.Messaging.IMessageStore, SqliteMessageStore>();
            services.AddSingleton<Waba.Gateway.Webhooks.IWebhookConfigStore, SqliteWebhookConfigStore>();
            services.AddSingleton<Waba.Gateway.Webhooks.Delivery.IWebhookOutbox, SqliteWebhookOutbox>();
            services.AddSingleton<Waba.Gateway.Profiles.IBusinessProfileStore, SqliteBusinessProfileStore>();
            services.AddSingleton<Waba.Gateway.Blocking.IBlockListStore, SqliteBlockListStore>();
            services.AddSingleton<Waba.Gateway.Sandbox.ISandboxUserStore, SqliteSandboxUserStore>();
            services.AddSingleton<Waba.Gateway.Sandbox.Page.ISandboxPageStore, SqliteSandboxPageStore>();
            services.AddSingleton<Waba.Gateway.Numbers.IAccountStateStore, SqliteAccountStateStore>();
            services.AddSingleton<Waba.Gateway.Conversations.IConversationStore, SqliteConversationStore>();
            services.AddSingleton<Waba.Gateway.Admin.IAdminKeyStore, SqliteAdminKeyStore>();
            services.AddSingleton<Waba.Gateway.Numbers.INumberSettingsStore, SqliteNumberSettingsStore>();
            services.AddHostedService<StorageInitializer>();
        }
        return services;
    }
}
