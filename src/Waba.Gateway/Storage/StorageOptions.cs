using System.ComponentModel.DataAnnotations;

namespace Waba.Gateway.Storage;

/// <summary>Where the gateway keeps its data. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The database engine. <c>sqlite</c> (default) is the only engine so far.</summary>
    [Required]
    [RegularExpression("^sqlite$", ErrorMessage = "Storage:Provider must be 'sqlite'.")]
    public string Provider { get; set; } = "sqlite";

    public SqliteStorageOptions Sqlite { get; set; } = new();
}

public sealed class SqliteStorageOptions
{
    /// <summary>The database file, relative to the working directory the gateway was started in. Default <c>data/waba.db</c>.</summary>
    [Required]
    public string Path { get; set; } = "data/waba.db";
}
