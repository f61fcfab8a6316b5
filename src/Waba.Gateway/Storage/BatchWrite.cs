namespace Waba.Gateway.Storage;

/// <summary>How the batching writers (PostgreSQL's group commit, the delivery recorder) write what gathered.</summary>
internal static class BatchWrite
{
    /// <summary>
    /// Writes <paramref name="items"/> together and completes each one's task. When that fails and there are several,
    /// each is written alone, so only an item that cannot be written fails (with its own reason).
    /// </summary>
    public static async Task WriteEachAsync<T>(IReadOnlyList<T> items, Func<IReadOnlyList<T>, Task> write, Func<T, TaskCompletionSource> completion)
    {
        if (items.Count == 0)
        {
            return;
        }
        try
        {
            await write(items);
            foreach (var item in items)
            {
                completion(item).TrySetResult();
            }
            return;
        }
        catch (Exception e) when (items.Count == 1)
        {
            completion(items[0]).TrySetException(e);
            return;
        }
        catch (Exception)
        {
            // Written one by one below.
        }
        foreach (var item in items)
        {
            try
            {
                await write([item]);
                completion(item).TrySetResult();
            }
            catch (Exception e)
            {
                completion(item).TrySetException(e);
            }
        }
    }
}
