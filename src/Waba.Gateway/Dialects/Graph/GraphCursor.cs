using System.Text;

namespace Waba.Gateway.Dialects.Graph;

/// <summary>Meta's opaque paging cursors (<c>paging.cursors.before/after</c>): base64 of the key a page starts or ends at.</summary>
internal static class GraphCursor
{
    public static string Encode(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    /// <summary>The key, or null for no cursor or one this gateway did not hand out.</summary>
    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public sealed record GraphCursors(string? Before, string? After);

/// <summary>Meta's <c>paging</c> object: the cursors of the page, and <c>next</c> when there is a further page.</summary>
public sealed record GraphPaging(GraphCursors Cursors, string? Next = null);
