using Waba.Gateway.Media;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Tests.Storage;

/// <summary>What every engine's media store must do: media belongs to its number.</summary>
public abstract class MediaStoreContract(StorageEngine engine) : StorageContract(engine)
{
    private IMediaStore Media => Get<IMediaStore>();

    [Fact]
    public async Task Media_IsFoundByItsOwnNumberOnly_AndDeletedOnce()
    {
        var channel = await ChannelAsync();
        var other = await ChannelAsync();
        var id = Identifiers.NewNumeric();
        var record = new MediaRecord(id, channel.Id, "application/pdf", "ab12", 1234, "invoice.pdf", T0);

        await Media.SaveMediaAsync(record, Ct);

        Assert.Equal(record, await Media.FindMediaAsync(channel.Id, id, Ct));
        Assert.Null(await Media.FindMediaAsync(other.Id, id, Ct));
        Assert.False(await Media.DeleteMediaAsync(other.Id, id, Ct));
        Assert.True(await Media.DeleteMediaAsync(channel.Id, id, Ct));
        Assert.False(await Media.DeleteMediaAsync(channel.Id, id, Ct));
        Assert.Null(await Media.FindMediaAsync(channel.Id, id, Ct));
    }
}

public sealed class SqliteMediaStoreTests() : MediaStoreContract(new SqliteEngine());

public sealed class PostgresMediaStoreTests() : MediaStoreContract(new PostgresEngine());
