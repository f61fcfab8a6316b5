using System.Net.Http.Headers;
using System.Net.Http.Json;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Media;

/// <summary>Issue 3: a 100 MB upload streams to disk; the gateway's peak memory grows by far less than the file.</summary>
public sealed class LargeUploadTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;

    /// <summary>Produces <c>length</c> bytes of a repeating pattern without holding them.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = (byte)((_position + i) % 251);
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static long StatusKilobytes(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task HundredMegabyteUpload_RaisesPeakMemoryByLessThan30MB()
    {
        var folder = Directory.CreateTempSubdirectory("waba-large-").FullName;
        await using var gateway = await GatewayProcess.StartAsync(folder,
            "--urls", "http://127.0.0.1:0", "--Admin:Token", GatewayServer.AdminToken, "--Sandbox:SeedOnEmptyDatabase", "false",
            "--Storage:Sqlite:Path", Path.Combine(folder, "gateway.db"), "--Media:Path", Path.Combine(folder, "media"), "--Logging:LogLevel:Default", "Warning");
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var key = (await gateway.CreateNumberAsync("on_premise", "4915100000097")).ApiKey;

        async Task<string> UploadAsync(long size)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/media") { Content = new StreamContent(new PatternStream(size), 81920) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            request.Content.Headers.ContentLength = size;
            request.Headers.Add("D360-API-KEY", key);
            return (await GatewayServer.ReadJsonAsync(await http.SendAsync(request, TestContext.Current.CancellationToken), 201)).GetProperty("media")[0].GetProperty("id").GetString()!;
        }

        await UploadAsync(1024 * 1024); // warm the path up
        await File.WriteAllTextAsync($"/proc/{gateway.ProcessId}/clear_refs", "5", TestContext.Current.CancellationToken); // reset the peak
        var before = StatusKilobytes(gateway.ProcessId, "VmRSS");

        var mediaId = await UploadAsync(HundredMegabytes);

        var peak = StatusKilobytes(gateway.ProcessId, "VmHWM");
        var grownMb = (peak - before) / 1024.0;
        TestContext.Current.TestOutputHelper?.WriteLine($"100 MB upload: RSS {before / 1024} MB before, peak {peak / 1024} MB, +{grownMb:0.0} MB");
        Assert.True(grownMb < 30, $"peak memory grew by {grownMb:0.0} MB");
        Assert.Equal(HundredMegabytes, new FileInfo(Path.Combine(folder, "media", mediaId)).Length);
    }
}
