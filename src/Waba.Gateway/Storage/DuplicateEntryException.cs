namespace Waba.Gateway.Storage;

/// <summary>A unique value (phone number, id) is already taken. Not transient: retrying cannot succeed.</summary>
public sealed class DuplicateEntryException(string message, Exception inner) : Exception(message, inner);
