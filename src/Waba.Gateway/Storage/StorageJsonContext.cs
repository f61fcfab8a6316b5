using System.Text.Json.Serialization;

namespace Waba.Gateway.Storage;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
