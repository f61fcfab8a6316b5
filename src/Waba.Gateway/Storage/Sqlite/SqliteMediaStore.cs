using System.Globalization;
using static Waba.Gateway.Storage.StorageValues;

namespace Waba.Gateway.Storage.Sqlite;

internal sealed class SqliteMediaStore(SqliteDatabase database) : Media.IMediaStore
{
    public Task SaveMediaAsync(Media.MediaRecord media, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO media (id, channel_id, mime_type, sha256, size, filename, created_at) VALUES ($id, $channel, $mime, $sha, $size, $filename, $created);");
            command.Parameters.AddWithValue("$id", media.Id);
            command.Parameters.AddWithValue("$channel", media.ChannelId);
            command.Parameters.AddWithValue("$mime", media.MimeType);
            command.Parameters.AddWithValue("$sha", media.Sha256);
            command.Parameters.AddWithValue("$size", media.Size);
            command.Parameters.AddWithValue("$filename", (object?)media.Filename ?? DBNull.Value);
            command.Parameters.AddWithValue("$created", media.CreatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public async Task<Media.MediaRecord?> FindMediaAsync(string channelId, string mediaId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {StorageRows.MediaColumns} FROM media WHERE id = $id AND channel_id = $channel;");
        command.Parameters.AddWithValue("$id", mediaId);
        command.Parameters.AddWithValue("$channel", channelId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? StorageRows.MediaFile(reader)
            : null;
    }

    public async Task<bool> DeleteMediaAsync(string channelId, string mediaId, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = SqliteDatabase.Command(connection, transaction, "DELETE FROM media WHERE id = $id AND channel_id = $channel;");
            command.Parameters.AddWithValue("$id", mediaId);
            command.Parameters.AddWithValue("$channel", channelId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;
}
