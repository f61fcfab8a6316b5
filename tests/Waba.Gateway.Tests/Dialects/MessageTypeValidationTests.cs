using Waba.Gateway.Tests.Infrastructure;

namespace Waba.Gateway.Tests.Dialects;

/// <summary>
/// Issue 3: every message type, at least one valid and three invalid payloads each, in both dialects. Each row is the
/// type, the type's own JSON members, and what WhatsApp answers: ok, or missing/invalid naming a JSON path.
/// </summary>
public sealed class MessageTypeValidationTests : IAsyncLifetime
{
    private GatewayServer _gateway = null!;
    private TestNumber _cloud = null!;
    private TestNumber _onPremise = null!;

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayServer.StartAsync();
        var waba = await _gateway.CreateWabaAsync();
        _cloud = await _gateway.CreateNumberAsync("cloud", waba);
        _onPremise = await _gateway.CreateNumberAsync("on_premise", waba);
        var created = await _gateway.PostAsync("/v1/configs/templates", _cloud.ApiKey, new
        {
            name = "order_update",
            language = "en_US",
            category = "UTILITY",
            components = new object[]
            {
                new { type = "HEADER", format = "IMAGE" },
                new { type = "BODY", text = "Hi {{1}}, you owe {{2}} since {{3}}." },
                new { type = "BUTTONS", buttons = new[] { new { type = "QUICK_REPLY", text = "Pay now" } } },
            },
        });
        await GatewayServer.ReadJsonAsync(created, 200);
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    private static readonly string Long21 = new('x', 21);

    /// <summary>Expands <c>@L21@</c> (21 characters) and <c>@c1025@</c> (the character c, 1,025 times).</summary>
    private static string Fill(string members) =>
        System.Text.RegularExpressions.Regex.Replace(members.Replace("@L21@", Long21, StringComparison.Ordinal), "@(.)(\\d+)@",
            m => new string(m.Groups[1].Value[0], int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // text
        { "text", """ "text": {"body": "Hi", "preview_url": true, "unknown_field": 1} """, "ok", "" },
        { "text", """ "text": {} """, "missing", "text.body" },
        { "text", Fill(""" "text": {"body": "@x4097@"} """), "invalid", "text.body" },
        { "text", """ "text": {"body": "Hi", "preview_url": "yes"} """, "invalid", "text.preview_url" },
        { "text", """ "text": "Hi" """, "invalid", "text" },
        // image
        { "image", """ "image": {"id": "1234567890", "caption": "A cat"} """, "ok", "" },
        { "image", """ "image": {"link": "https://example.com/cat.jpg"} """, "ok", "" },
        { "image", """ "image": {"id": "1", "link": "https://example.com/cat.jpg"} """, "invalid", "image" },
        { "image", """ "image": {"caption": "no media"} """, "missing", "image.id or image.link" },
        { "image", """ "image": {"link": "ftp://example.com/cat.jpg"} """, "invalid", "image.link" },
        { "image", Fill(""" "image": {"id": "1", "caption": "@c1025@"} """), "invalid", "image.caption" },
        // audio
        { "audio", """ "audio": {"id": "1"} """, "ok", "" },
        { "audio", """ "audio": {"id": "1", "caption": "no"} """, "invalid", "audio.caption" },
        { "audio", """ "audio": {"id": "1", "filename": "a.mp3"} """, "invalid", "audio.filename" },
        { "audio", """ "audio": null """, "missing", "audio" },
        // video
        { "video", """ "video": {"link": "https://example.com/v.mp4", "caption": "Look"} """, "ok", "" },
        { "video", """ "video": {"id": 12} """, "invalid", "video.id" },
        { "video", """ "video": {} """, "missing", "video.id or video.link" },
        { "video", """ "other": {} """, "missing", "video" },
        // document
        { "document", """ "document": {"id": "1", "filename": "invoice.pdf", "caption": "Your invoice"} """, "ok", "" },
        { "document", """ "document": {"link": "not a url"} """, "invalid", "document.link" },
        { "document", """ "document": {"id": "1", "filename": 5} """, "invalid", "document.filename" },
        { "document", """ "document": [] """, "invalid", "document" },
        // sticker
        { "sticker", """ "sticker": {"id": "1"} """, "ok", "" },
        { "sticker", """ "sticker": {"id": "1", "caption": "no"} """, "invalid", "sticker.caption" },
        { "sticker", """ "sticker": {"link": "mailto:a@b.c"} """, "invalid", "sticker.link" },
        { "sticker", """ "sticker": {} """, "missing", "sticker.id or sticker.link" },
        // location
        { "location", """ "location": {"latitude": 52.52, "longitude": "13.40", "name": "Berlin", "address": "Mitte"} """, "ok", "" },
        { "location", """ "location": {"latitude": 91, "longitude": 13.4} """, "invalid", "location.latitude" },
        { "location", """ "location": {"latitude": 52.5} """, "missing", "location.longitude" },
        { "location", """ "location": {"latitude": "north", "longitude": 13.4} """, "invalid", "location.latitude" },
        // contacts
        { "contacts", """ "contacts": [{"name": {"formatted_name": "Ada Lovelace", "first_name": "Ada"}, "phones": [{"phone": "+44 20 7946 0000", "type": "WORK"}], "birthday": "1815-12-10"}] """, "ok", "" },
        { "contacts", """ "contacts": [] """, "invalid", "contacts" },
        { "contacts", """ "contacts": [{"phones": []}] """, "missing", "contacts[0].name" },
        { "contacts", """ "contacts": [{"name": {"first_name": "Ada"}}] """, "missing", "contacts[0].name.formatted_name" },
        { "contacts", """ "contacts": [{"name": {"formatted_name": "Ada"}, "birthday": "10.12.1815"}] """, "invalid", "contacts[0].birthday" },
        // interactive: button
        { "interactive", """ "interactive": {"type": "button", "header": {"type": "text", "text": "Hi"}, "body": {"text": "Pick one"}, "footer": {"text": "Thanks"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "Yes"}}, {"type": "reply", "reply": {"id": "b", "title": "No"}}]}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "1", "title": "1"}}, {"type": "reply", "reply": {"id": "2", "title": "2"}}, {"type": "reply", "reply": {"id": "3", "title": "3"}}, {"type": "reply", "reply": {"id": "4", "title": "4"}}]}} """, "invalid", "interactive.action.buttons" },
        { "interactive", Fill(""" "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "@L21@"}}]}} """), "invalid", "interactive.action.buttons[0].reply.title" },
        { "interactive", """ "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}, {"type": "reply", "reply": {"id": "a", "title": "B"}}]}} """, "invalid", "interactive.action.buttons[1].reply.id" },
        { "interactive", """ "interactive": {"type": "button", "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}} """, "missing", "interactive.body" },
        { "interactive", Fill(""" "interactive": {"type": "button", "header": {"type": "text", "text": "@h61@"}, "body": {"text": "Pick"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}} """), "invalid", "interactive.header.text" },
        { "interactive", Fill(""" "interactive": {"type": "button", "body": {"text": "Pick"}, "footer": {"text": "@f61@"}, "action": {"buttons": [{"type": "reply", "reply": {"id": "a", "title": "A"}}]}} """), "invalid", "interactive.footer.text" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}} """, "missing", "interactive.action" },
        // interactive: list
        { "interactive", """ "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "Open", "sections": [{"title": "Mains", "rows": [{"id": "r1", "title": "Pasta", "description": "Fresh"}]}, {"title": "Desserts", "rows": [{"id": "r2", "title": "Cake"}]}]}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "Open", "sections": [{"rows": [{"id": "r1", "title": "Pasta"}]}, {"title": "B", "rows": [{"id": "r2", "title": "Cake"}]}]}} """, "missing", "interactive.action.sections[0].title" },
        { "interactive", Fill(""" "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "@L21@", "sections": [{"rows": [{"id": "r1", "title": "Pasta"}]}]}} """), "invalid", "interactive.action.button" },
        { "interactive", """ "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "Open", "sections": [{"rows": [{"id": "r1", "title": "Pasta with a very long name"}]}]}} """, "invalid", "interactive.action.sections[0].rows[0].title" },
        { "interactive", """ "interactive": {"type": "list", "body": {"text": "Menu"}, "action": {"button": "Open", "sections": [{"title": "A", "rows": [{"id": "1", "title": "1"}, {"id": "2", "title": "2"}, {"id": "3", "title": "3"}, {"id": "4", "title": "4"}, {"id": "5", "title": "5"}, {"id": "6", "title": "6"}]}, {"title": "B", "rows": [{"id": "7", "title": "7"}, {"id": "8", "title": "8"}, {"id": "9", "title": "9"}, {"id": "10", "title": "10"}, {"id": "11", "title": "11"}]}]}} """, "invalid", "interactive.action.sections[1].rows[4]" },
        // interactive: cta_url, product, product_list, flow
        { "interactive", """ "interactive": {"type": "cta_url", "body": {"text": "See"}, "action": {"name": "cta_url", "parameters": {"display_text": "Open site", "url": "https://example.com"}}} """, "ok", "" },
        { "interactive", Fill(""" "interactive": {"type": "cta_url", "body": {"text": "See"}, "action": {"name": "cta_url", "parameters": {"display_text": "@L21@", "url": "https://example.com"}}} """), "invalid", "interactive.action.parameters.display_text" },
        { "interactive", """ "interactive": {"type": "cta_url", "body": {"text": "See"}, "action": {"name": "cta_url", "parameters": {"display_text": "Open", "url": "javascript:alert(1)"}}} """, "invalid", "interactive.action.parameters.url" },
        { "interactive", """ "interactive": {"type": "product", "action": {"catalog_id": "c1", "product_retailer_id": "sku-1"}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "product", "action": {"catalog_id": "c1"}} """, "missing", "interactive.action.product_retailer_id" },
        { "interactive", """ "interactive": {"type": "product_list", "header": {"type": "text", "text": "Shop"}, "body": {"text": "Our picks"}, "action": {"catalog_id": "c1", "sections": [{"title": "New", "product_items": [{"product_retailer_id": "sku-1"}]}]}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "product_list", "body": {"text": "Our picks"}, "action": {"catalog_id": "c1", "sections": [{"title": "New", "product_items": [{"product_retailer_id": "sku-1"}]}]}} """, "missing", "interactive.header" },
        { "interactive", """ "interactive": {"type": "flow", "body": {"text": "Book"}, "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_id": "123", "flow_cta": "Book now"}}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "flow", "body": {"text": "Book"}, "action": {"name": "flow", "parameters": {"flow_message_version": "3", "flow_cta": "Book"}}} """, "missing", "interactive.action.parameters.flow_id or interactive.action.parameters.flow_name" },
        // issue 11: location request, catalog and carousel (every interactive type Meta documents)
        { "interactive", """ "interactive": {"type": "location_request_message", "body": {"text": "Where should we deliver?"}, "action": {"name": "send_location"}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "location_request_message", "body": {"text": "Where?"}, "action": {"name": "send_pin"}} """, "invalid", "interactive.action.name" },
        { "interactive", """ "interactive": {"type": "location_request_message", "action": {"name": "send_location"}} """, "missing", "interactive.body" },
        { "interactive", """ "interactive": {"type": "location_request_message", "header": {"type": "text", "text": "h"}, "body": {"text": "Where?"}, "action": {"name": "send_location"}} """, "invalid", "interactive.header" },
        { "interactive", """ "interactive": {"type": "catalog_message", "body": {"text": "Browse our catalog"}, "footer": {"text": "Best prices"}, "action": {"name": "catalog_message", "parameters": {"thumbnail_product_retailer_id": "sku-1"}}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "catalog_message", "body": {"text": "Browse"}, "action": {"name": "catalog"}} """, "invalid", "interactive.action.name" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Our picks"}, "action": {"cards": [{"card_index": 0, "type": "cta_url", "header": {"type": "image", "image": {"link": "https://example.com/1.png"}}, "body": {"text": "One"}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}, {"card_index": 1, "type": "cta_url", "header": {"type": "image", "image": {"id": "123"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/2"}}}]}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "video", "video": {"link": "https://example.com/1.mp4"}}, "action": {"buttons": [{"type": "quick_reply", "quick_reply": {"id": "a1", "title": "This one"}}]}}, {"card_index": 1, "header": {"type": "video", "video": {"link": "https://example.com/2.mp4"}}, "action": {"buttons": [{"type": "quick_reply", "quick_reply": {"id": "b1", "title": "That one"}}]}}]}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "image", "image": {"id": "1"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}]}} """, "invalid", "interactive.action.cards" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "image", "image": {"id": "1"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}, {"card_index": 1, "header": {"type": "video", "video": {"id": "2"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/2"}}}]}} """, "invalid", "interactive.action.cards[1].header.type" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "document", "document": {"id": "1"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}, {"card_index": 1, "header": {"type": "image", "image": {"id": "2"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/2"}}}]}} """, "invalid", "interactive.action.cards[0].header.type" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "image", "image": {"id": "1"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/1"}}}, {"card_index": 1, "header": {"type": "image", "image": {"id": "2"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy now at once please", "url": "https://example.com/2"}}}]}} """, "invalid", "interactive.action.cards[1].action.parameters.display_text" },
        { "interactive", """ "interactive": {"type": "carousel", "body": {"text": "Pick"}, "action": {"cards": [{"card_index": 0, "header": {"type": "image", "image": {"id": "1"}}, "action": {"buttons": [{"type": "quick_reply", "quick_reply": {"id": "a", "title": "A"}}]}}, {"card_index": 1, "header": {"type": "image", "image": {"id": "2"}}, "action": {"name": "cta_url", "parameters": {"display_text": "Buy", "url": "https://example.com/2"}}}]}} """, "invalid", "interactive.action.cards[1].action" },
        { "interactive", """ "interactive": {"type": "voice_call", "body": {"text": "Questions? Call us."}, "action": {"name": "voice_call", "parameters": {"display_text": "Call support", "ttl_minutes": 1440, "payload": "order-4471"}}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "voice_call", "body": {"text": "Call us"}, "action": {"name": "voice_call"}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "voice_call", "body": {"text": "Call us"}, "action": {"name": "voice_call", "parameters": {"ttl_minutes": 50000}}} """, "invalid", "interactive.action.parameters.ttl_minutes" },
        { "interactive", """ "interactive": {"type": "call_permission_request", "body": {"text": "May we call you about your order?"}, "action": {"name": "call_permission_request"}} """, "ok", "" },
        { "interactive", """ "interactive": {"type": "call_permission_request", "body": {"text": "May we call?"}, "footer": {"text": "f"}, "action": {"name": "call_permission_request"}} """, "invalid", "interactive.footer" },
        // issue 11: biz_opaque_callback_data is at most 512 characters
        { "text", Fill(""" "text": {"body": "Hi"}, "biz_opaque_callback_data": "@o513@" """), "invalid", "biz_opaque_callback_data" },
        // issue 11: header parameters (location, product) and the newer parameter kinds
        { "template", """ "template": {"name": "order_update", "language": {"code": "en_US"}, "components": [{"type": "header", "parameters": [{"type": "location", "location": {"latitude": 52.5, "longitude": 13.4, "name": "Shop"}}]}, {"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "text", "text": "$5"}, {"type": "text", "text": "May"}]}, {"type": "button", "sub_type": "copy_code", "index": 0, "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}]}]} """, "ok", "" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "header", "parameters": [{"type": "product", "product": {"product_retailer_id": "sku-1", "catalog_id": "c1"}}]}, {"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer", "limited_time_offer": {"expiration_time_ms": 1700000000000}}]}, {"type": "carousel", "cards": "none"}]} """, "invalid", "template.components[2].cards" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "body", "parameters": [{"type": "image", "image": {"id": "1"}}]}]} """, "invalid", "template.components[0].parameters[0].type" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "header", "parameters": [{"type": "payload", "payload": "x"}]}]} """, "invalid", "template.components[0].parameters[0].type" },
        // template
        { "template", """ "template": {"name": "order_update", "language": {"code": "en_US", "policy": "deterministic"}, "components": [{"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/h.png"}}]}, {"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "currency", "currency": {"fallback_value": "$10", "code": "USD", "amount_1000": 10000}}, {"type": "date_time", "date_time": {"fallback_value": "May 1"}}]}, {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "yes"}]}]} """, "ok", "" },
        { "template", """ "template": {"language": {"code": "en_US"}} """, "missing", "template.name" },
        { "template", """ "template": {"name": "t", "language": {}} """, "missing", "template.language.code" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "body", "parameters": [{"type": "emoji"}]}]} """, "invalid", "template.components[0].parameters[0].type" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "button", "sub_type": "url", "parameters": [{"type": "text", "text": "x"}]}]} """, "missing", "template.components[0].index" },
        { "template", """ "template": {"name": "t", "language": {"code": "en"}, "components": [{"type": "body", "parameters": [{"type": "currency", "currency": {"fallback_value": "$1", "amount_1000": 1000}}]}]} """, "missing", "template.components[0].parameters[0].currency.code" },
        // reaction
        { "reaction", """ "reaction": {"message_id": "wamid.abc", "emoji": "👍"} """, "ok", "" },
        { "reaction", """ "reaction": {"message_id": "wamid.abc", "emoji": ""} """, "ok", "" },
        { "reaction", """ "reaction": {"emoji": "👍"} """, "missing", "reaction.message_id" },
        { "reaction", """ "reaction": {"message_id": "wamid.abc"} """, "missing", "reaction.emoji" },
        { "reaction", """ "reaction": {"message_id": 7, "emoji": "👍"} """, "invalid", "reaction.message_id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Cloud_MessageType_IsValidatedLikeWhatsApp(string type, string members, string expected, string field) =>
        CheckAsync("/messages", _cloud, $$"""{"messaging_product": "whatsapp", "to": "4915112345678", "type": "{{type}}", {{members}}}""",
            expected, field, missingCode: 131008, invalidCode: 131009);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task OnPremise_MessageType_IsValidatedLikeWhatsApp(string type, string members, string expected, string field) =>
        CheckAsync("/v1/messages", _onPremise, $$"""{"to": "4915112345678", "type": "{{type}}", {{members}}}""",
            expected, field, missingCode: 1008, invalidCode: 1009);

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Graph_MessageType_IsValidatedLikeTheCloudDialect(string type, string members, string expected, string field) =>
        CheckAsync($"/v21.0/{_cloud.PhoneNumberId}/messages", _cloud, $$"""{"messaging_product": "whatsapp", "to": "4915112345678", "type": "{{type}}", {{members}}}""",
            expected, field, missingCode: 131008, invalidCode: 131009, bearer: true);

    private async Task CheckAsync(string path, TestNumber number, string body, string expected, string field, int missingCode, int invalidCode, bool bearer = false)
    {
        var request = GatewayServer.Request(HttpMethod.Post, path, bearer ? null : number.ApiKey, rawBody: body);
        if (bearer)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", number.ApiKey);
        }
        var response = await _gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);
        if (expected == "ok")
        {
            var ok = await GatewayServer.ReadJsonAsync(response, 200);
            Assert.StartsWith("wamid.", ok.GetProperty("messages")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
            return;
        }
        var error = await GatewayServer.ReadJsonAsync(response, 400);
        var (code, details) = error.TryGetProperty("error", out var cloud)
            ? (cloud.GetProperty("code").GetInt32(), cloud.GetProperty("error_data").GetProperty("details").GetString()!)
            : (error.GetProperty("errors")[0].GetProperty("code").GetInt32(), error.GetProperty("errors")[0].GetProperty("details").GetString()!);
        Assert.Equal(expected == "missing" ? missingCode : invalidCode, code);
        Assert.True(details == field || details.StartsWith(field + ":", StringComparison.Ordinal), $"'{details}' should name '{field}'");
    }

    [Fact]
    public async Task UnknownFields_AreKept_InTheStoredMessage()
    {
        var body = """{"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "Hi", "x_future": {"a": 1}}, "biz_opaque_callback_data": "trace-7"}""";
        var response = await _gateway.Http.SendAsync(GatewayServer.Request(HttpMethod.Post, "/messages", _cloud.ApiKey, rawBody: body), TestContext.Current.CancellationToken);
        await GatewayServer.ReadJsonAsync(response, 200);
    }
}
