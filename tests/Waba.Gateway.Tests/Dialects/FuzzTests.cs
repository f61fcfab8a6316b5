using System.Text.Json.Nodes;
using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

/// <summary>
/// Issue 3: 10,000 random mutations of valid payloads, spread over both dialects: every answer is a 2xx or a 4xx in
/// the dialect's shape; never a 5xx, never a dropped connection. Issue 11 adds JSON escapes no .NET string can hold
/// (lone surrogates), control characters, and nesting deeper than any parser's default limit.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] ValidBodies =
    [
        """{"to": "4915112345678", "type": "text", "text": {"body": "Hi", "preview_url": true}, "context": {"message_id": "wamid.x"}}""",
        """{"to": "4915112345678", "type": "image", "image": {"link": "https://example.com/a.png", "caption": "c"}}""",
        """{"to": "4915112345678", "type": "document", "document": {"id": "123", "filename": "a.pdf"}}""",
        """{"to": "4915112345678", "type": "location", "location": {"latitude": 1.5, "longitude": 2.5, "name": "n"}}""",
        """{"to": "4915112345678", "type": "contacts", "contacts": [{"name": {"formatted_name": "A"}, "phones": [{"phone": "1"}], "birthday": "2000-01-01"}]}""",
        """{"to": "4915112345678", "type": "interactive", "interactive": {"type": "button", "header": {"type": "image", "image": {"id": "1"}}, "body": {"text": "b"}, "footer": {"text": "f"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}}}""",
        """{"to": "4915112345678", "type": "interactive", "interactive": {"type": "list", "body": {"text": "b"}, "action": {"button": "x", "sections": [{"title": "s", "rows": [{"id": "r", "title": "t", "description": "d"}]}]}}}""",
        """{"to": "4915112345678", "type": "interactive", "interactive": {"type": "flow", "body": {"text": "b"}, "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_name": "f", "flow_cta": "go"}}}}""",
        """{"to": "4915112345678", "type": "interactive", "interactive": {"type": "product_list", "header": {"type": "text", "text": "h"}, "body": {"text": "b"}, "action": {"catalog_id": "c", "sections": [{"title": "s", "product_items": [{"product_retailer_id": "p"}]}]}}}""",
        """{"to": "4915112345678", "type": "template", "template": {"name": "hello_world", "language": {"code": "en_US"}, "components": [{"type": "body", "parameters": [{"type": "currency", "currency": {"fallback_value": "$1", "code": "USD", "amount_1000": 1000}}, {"type": "location", "location": {"latitude": 1, "longitude": 2}}]}, {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "x"}]}]}}""",
        """{"to": "4915112345678", "type": "reaction", "reaction": {"message_id": "wamid.x", "emoji": "👍"}}""",
    ];

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1.5e300), JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create(new string('z', 5000)),
        JsonValue.Create("https://"), JsonValue.Create("\u0000\uffff😀"), new JsonArray(), new JsonObject(), new JsonArray(JsonValue.Create(1), null),
        JsonValue.Create("12"), JsonValue.Create(long.MaxValue), new JsonObject { ["type"] = "text" },
        // Written as \uD800-style escapes: a lone surrogate, a reversed pair, control characters.
        JsonValue.Create("\ud800"), JsonValue.Create("a\udc00\ud800b"), JsonValue.Create("\u0000\u2028\u001f"),
        Nested(100), Nested(40),
    ];

    /// <summary>Arrays inside objects, <paramref name="depth"/> levels deep.</summary>
    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom");
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["x"] = node };
        }
        return node;
    }

    [Fact]
    public async Task TenThousandMutations_NeverAnswer5xx()
    {
        await using var gateway = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Sandbox:Throughput"] = "1000000",
            ["Sandbox:PairRateBurst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Critical",
        });
        var cloud = await gateway.CreateNumberAsync("cloud");
        var onPremise = await gateway.CreateNumberAsync("on_premise");
        var random = new Random(20261125);
        var statuses = new Dictionary<int, int>();

        await Parallel.ForAsync(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            string body;
            bool useCloud;
            lock (random)
            {
                useCloud = random.Next(2) == 0;
                body = Mutate(ValidBodies[random.Next(ValidBodies.Length)], useCloud, random);
            }
            var request = GatewayServer.Request(HttpMethod.Post, useCloud ? "/messages" : "/v1/messages", useCloud ? cloud.ApiKey : onPremise.ApiKey, rawBody: body);
            using var response = await gateway.Http.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            Assert.True(status < 500, $"{status} for {body}: {await response.Content.ReadAsStringAsync(ct)}");
            if (status >= 400)
            {
                var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
                Assert.True(error.TryGetProperty(useCloud ? "error" : "errors", out _) || error.TryGetProperty("meta", out _), $"{status} without an error shape for {body}");
            }
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
        });

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.True(statuses.GetValueOrDefault(200) > 100, "some mutations stay valid");
        Assert.True(statuses.GetValueOrDefault(400) > 1000, "most mutations are refused");
    }

    private static string Mutate(string valid, bool cloud, Random random)
    {
        var root = JsonNode.Parse(valid)!.AsObject();
        if (cloud)
        {
            root["messaging_product"] = "whatsapp";
        }
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var containers = new List<JsonNode>();
            Collect(root, containers);
            var target = containers[random.Next(containers.Count)];
            switch (target)
            {
                case JsonObject obj when obj.Count > 0:
                    var key = obj.ElementAt(random.Next(obj.Count)).Key;
                    if (random.Next(3) == 0)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        obj[key] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    }
                    break;
                case JsonArray array when array.Count > 0:
                    var index = random.Next(array.Count);
                    if (random.Next(2) == 0)
                    {
                        array.RemoveAt(index);
                    }
                    else
                    {
                        array.Add(array[index]?.DeepClone());
                    }
                    break;
            }
        }
        var text = root.ToJsonString();
        // Now and then the bytes themselves break: truncated or with a stray character.
        return random.Next(10) switch
        {
            0 => text[..random.Next(text.Length)],
            1 => text.Insert(random.Next(text.Length), random.Next(2) == 0 ? "}" : "\""),
            // An escape put right after an opening quote: a lone surrogate in a value or a property name.
            2 when text.IndexOf('"', random.Next(text.Length)) is var at and >= 0 => text.Insert(at + 1, random.Next(2) == 0 ? "\\ud83d" : "\\udfff"),
            _ => text,
        };
    }

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        if (node is JsonObject obj)
        {
            containers.Add(obj);
            foreach (var (_, child) in obj)
            {
                if (child is not null)
                {
                    Collect(child, containers);
                }
            }
        }
        else if (node is JsonArray array)
        {
            containers.Add(array);
            foreach (var child in array)
            {
                if (child is not null)
                {
                    Collect(child, containers);
                }
            }
        }
    }
}
