using System.ComponentModel.DataAnnotations;

namespace Waba.Gateway.Storage;

/// <summary>Where the gateway keeps its data. Section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (default: embedded, one instance) or <c>postgres</c> (several instances share one database).</summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    public SqliteStorageOptions Sqlite { get; set; } = new();

    public PostgresStorageOptions Postgres { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == "postgres" && string.IsNullOrWhiteSpace(Postgres.ConnectionString))
        {
            yield return new ValidationResult("Storage:Postgres:ConnectionString is required when Storage:Provider is 'postgres'.");
        }
    }
}

public sealed class SqliteStorageOptions
{
    /// <summary>The database file, relative to the working directory the gateway was started in. Default <c>data/waba.db</c>.</summary>
    [Required]
    public string Path { get; set; } = "data/waba.db";
}

public sealed class PostgresStorageOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=waba;Password=...;Database=waba</c>.</summary>
    public string? ConnectionString { get; set; }
}
