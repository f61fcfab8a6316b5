using System.Text.Json;
using Waba.Gateway.Dialects;
using static Waba.Gateway.Messaging.Validation.Fields;

namespace Waba.Gateway.Messaging.Validation;

/// <summary>WhatsApp's rules for each message type's own object (wire-format.md), the same in both dialects.</summary>
internal static class MessageTypeRules
{
    public const int MaxTextLength = 4096;
    public const int MaxCaptionLength = 1024;

    public static readonly IReadOnlySet<string> MediaTypes = new HashSet<string> { "image", "audio", "video", "document", "sticker" };

    /// <summary>Every interactive type Meta's Cloud API documents (wire-format.md).</summary>
    private static readonly HashSet<string> InteractiveTypes =
        ["button", "list", "cta_url", "product", "product_list", "flow", "catalog_message", "location_request_message", "carousel", "voice_call", "call_permission_request"];

    /// <summary>Types whose message is a body and an action only: Meta refuses a header on them.</summary>
    private static readonly HashSet<string> NoHeaderTypes = ["catalog_message", "location_request_message", "carousel", "call_permission_request"];
    private static readonly HashSet<string> HeaderTypes = ["text", "image", "video", "document"];
    private static readonly HashSet<string> ComponentTypes = ["header", "body", "button", "footer", "limited_time_offer", "carousel"];
    private static readonly HashSet<string> ButtonSubTypes = ["quick_reply", "url", "copy_code", "catalog", "flow", "mpm", "voice_call"];
    private static readonly HashSet<string> ParameterTypes =
    [
        "text", "currency", "date_time", "image", "video", "document", "location", "payload", "coupon_code", "action", "product",
        "limited_time_offer", "tap_target_configuration", "carousel", "button",
    ];

    /// <summary>What a template header's parameters may be.</summary>
    private static readonly HashSet<string> HeaderParameterTypes = ["text", "currency", "date_time", "image", "document", "video", "location", "product"];

    /// <summary>The message types this gateway knows the rules of.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>
    {
        "text", "image", "audio", "video", "document", "sticker", "location", "contacts", "interactive", "template", "reaction",
    };

    /// <summary>On-Premise message types with no Cloud equivalent: refused whatever the upstream.</summary>
    public static readonly IReadOnlySet<string> OnPremiseOnlyTypes = new HashSet<string> { "hsm" };

    /// <summary>
    /// Whether the gateway knows this kind of message: its type, and for interactive messages its interactive type. What it
    /// does not know, WhatsApp may (a kind added later); a number on Meta lets Meta decide, the sandbox refuses it.
    /// </summary>
    public static bool Known(string type, JsonElement root) =>
        Types.Contains(type)
        && (type != "interactive"
            || !(root.TryGetProperty("interactive", out var interactive) && interactive.ValueKind == JsonValueKind.Object
                 && interactive.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String && !InteractiveTypes.Contains(kind.GetString()!)));

    public static ApiError? Validate(string type, JsonElement root) => type switch
    {
        "text" => Text(root),
        "image" or "audio" or "video" or "document" or "sticker" => Media(root, type),
        "location" => Location(root),
        "contacts" => Contacts(root),
        "interactive" => Interactive(root),
        "template" => Template(root),
        "reaction" => Reaction(root),
        _ => new ApiError(ApiErrorKind.UnsupportedMessageType, $"type: '{type}' is not a WhatsApp message type"),
    };

    private static ApiError? Text(JsonElement root)
    {
        if (Object(root, "text", "text", out var text) is { } error)
        {
            return error;
        }
        return String(text, "body", "text.body", MaxTextLength, out _) ?? OptionalBoolean(text, "preview_url", "text.preview_url");
    }

    /// <summary>A media object: <c>id</c> or <c>link</c>, exactly one; caption and filename where the kind allows them.</summary>
    public static ApiError? MediaObject(JsonElement media, string kind, string path, bool captionAllowed)
    {
        var hasId = Present(media, "id", out var id);
        var hasLink = Present(media, "link", out var link);
        if (hasId && hasLink)
        {
            return ApiError.Invalid(path, "give id or link, not both");
        }
        if (!hasId && !hasLink)
        {
            return ApiError.Missing($"{path}.id or {path}.link");
        }
        if (hasId && StringValue(id, $"{path}.id", 1, 256, out _) is { } idError)
        {
            return idError;
        }
        if (hasLink && (StringValue(link, $"{path}.link", 1, 2048, out var url) ?? HttpUrl(url, $"{path}.link")) is { } linkError)
        {
            return linkError;
        }
        if (Present(media, "caption", out _))
        {
            if (!captionAllowed)
            {
                return ApiError.Invalid($"{path}.caption", $"{kind} messages cannot have a caption");
            }
            if (OptionalString(media, "caption", $"{path}.caption", MaxCaptionLength, out _) is { } captionError)
            {
                return captionError;
            }
        }
        if (Present(media, "filename", out _))
        {
            if (kind != "document")
            {
                return ApiError.Invalid($"{path}.filename", "only documents have a filename");
            }
            return OptionalString(media, "filename", $"{path}.filename", 240, out _);
        }
        return null;
    }

    private static ApiError? Media(JsonElement root, string type) =>
        Object(root, type, type, out var media) ?? MediaObject(media, type, type, type is "image" or "video" or "document");

    private static ApiError? Location(JsonElement root)
    {
        if (Object(root, "location", "location", out var location) is { } error)
        {
            return error;
        }
        return First(
            () => Number(location, "latitude", "location.latitude", -90, 90, out _),
            () => Number(location, "longitude", "location.longitude", -180, 180, out _),
            () => OptionalString(location, "name", "location.name", 1000, out _),
            () => OptionalString(location, "address", "location.address", 1000, out _));
    }

    private static ApiError? Contacts(JsonElement root)
    {
        if (Array(root, "contacts", "contacts", 1, 257, out var contacts) is { } error)
        {
            return error;
        }
        var i = 0;
        foreach (var contact in contacts.EnumerateArray())
        {
            var path = $"contacts[{i++}]";
            if (contact.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            var problem = First(
                () => Object(contact, "name", $"{path}.name", out var name) ?? String(name, "formatted_name", $"{path}.name.formatted_name", 1000, out _),
                () => OptionalArray(contact, "phones", $"{path}.phones", 100, out _),
                () => OptionalArray(contact, "emails", $"{path}.emails", 100, out _),
                () => OptionalArray(contact, "addresses", $"{path}.addresses", 100, out _),
                () => OptionalArray(contact, "urls", $"{path}.urls", 100, out _),
                () => OptionalObject(contact, "org", $"{path}.org", out _),
                () => Birthday(contact, $"{path}.birthday"));
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    private static ApiError? Birthday(JsonElement contact, string path)
    {
        if (OptionalString(contact, "birthday", path, 10, out var birthday) is { } error)
        {
            return error;
        }
        return birthday is null || DateOnly.TryParseExact(birthday, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)
            ? null
            : ApiError.Invalid(path, "must be a date written YYYY-MM-DD");
    }

    private static ApiError? Interactive(JsonElement root)
    {
        if (Object(root, "interactive", "interactive", out var interactive) is { } error
            || OneOf(interactive, "type", "interactive.type", InteractiveTypes, out var kind) is { } typeError && (error = typeError) is not null)
        {
            return error;
        }
        // Product messages may leave out the body; every other kind needs one.
        var bodyError = kind == "product"
            ? OptionalObject(interactive, "body", "interactive.body", out var body) ?? (Present(interactive, "body", out _) ? String(body, "text", "interactive.body.text", 1024, out _) : null)
            : Object(interactive, "body", "interactive.body", out body) ?? String(body, "text", "interactive.body.text", 1024, out _);
        if (NoHeaderTypes.Contains(kind) && Present(interactive, "header", out _))
        {
            return ApiError.Invalid("interactive.header", $"{kind} messages have no header");
        }
        if (kind is "location_request_message" or "carousel" or "call_permission_request" && Present(interactive, "footer", out _))
        {
            return ApiError.Invalid("interactive.footer", $"{kind} messages have no footer");
        }
        return bodyError
            ?? Footer(interactive)
            ?? Header(interactive, required: kind == "product_list", textOnly: kind is "product" or "product_list")
            ?? Object(interactive, "action", "interactive.action", out var action)
            ?? kind switch
            {
                "location_request_message" => OneOf(action, "name", "interactive.action.name", ["send_location"], out _),
                "catalog_message" => OneOf(action, "name", "interactive.action.name", ["catalog_message"], out _)
                    ?? OptionalObject(action, "parameters", "interactive.action.parameters", out var catalog)
                    ?? (Present(action, "parameters", out _)
                        ? OptionalString(catalog, "thumbnail_product_retailer_id", "interactive.action.parameters.thumbnail_product_retailer_id", 256, out _)
                        : null),
                "carousel" => Carousel(action),
                "voice_call" => VoiceCall(action),
                "call_permission_request" => OneOf(action, "name", "interactive.action.name", ["call_permission_request"], out _),
                "button" => Buttons(action),
                "list" => List(action),
                "cta_url" => CtaUrl(action),
                "product" => String(action, "catalog_id", "interactive.action.catalog_id", 256, out _)
                    ?? String(action, "product_retailer_id", "interactive.action.product_retailer_id", 256, out _),
                "product_list" => ProductList(action),
                _ => Flow(action),
            };
    }

    /// <summary>
    /// A media carousel: 2 to 10 cards, each with an image or video header (the same kind on every card), optional body
    /// text (≤ 160), and either one URL button or quick-reply buttons, the same kind and count on every card.
    /// </summary>
    private static ApiError? Carousel(JsonElement action)
    {
        if (Array(action, "cards", "interactive.action.cards", 2, 10, out var cards) is { } error)
        {
            return error;
        }
        string? headerKind = null, buttonShape = null;
        var indexes = new HashSet<int>();
        var i = 0;
        foreach (var card in cards.EnumerateArray())
        {
            var path = $"interactive.action.cards[{i++}]";
            if (card.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            if (Number(card, "card_index", $"{path}.card_index", 0, 9, out var index) is { } indexError)
            {
                return indexError;
            }
            if (index != Math.Floor(index) || !indexes.Add((int)index))
            {
                return ApiError.Invalid($"{path}.card_index", "must be a whole number from 0 to 9, different on every card");
            }
            string kind = string.Empty;
            var problem = Object(card, "header", $"{path}.header", out var header)
                ?? OneOf(header, "type", $"{path}.header.type", ["image", "video"], out kind)
                ?? Object(header, kind, $"{path}.header.{kind}", out var media)
                ?? MediaObject(media, kind, $"{path}.header.{kind}", captionAllowed: false)
                ?? OptionalObject(card, "body", $"{path}.body", out var body)
                ?? (Present(card, "body", out _) ? String(body, "text", $"{path}.body.text", 160, out _) : null);
            if (problem is not null)
            {
                return problem;
            }
            if (headerKind is not null && headerKind != kind)
            {
                return ApiError.Invalid($"{path}.header.type", $"every card of a carousel has the same header kind ({headerKind})");
            }
            headerKind = kind;
            if (Object(card, "action", $"{path}.action", out var cardAction) is { } actionError)
            {
                return actionError;
            }
            string shape;
            if (Present(cardAction, "buttons", out _))
            {
                if (Array(cardAction, "buttons", $"{path}.action.buttons", 1, 2, out var buttons) is { } buttonsError)
                {
                    return buttonsError;
                }
                var b = 0;
                foreach (var button in buttons.EnumerateArray())
                {
                    var buttonPath = $"{path}.action.buttons[{b++}]";
                    if (button.ValueKind != JsonValueKind.Object)
                    {
                        return ApiError.Invalid(buttonPath, "must be an object");
                    }
                    if ((OneOf(button, "type", $"{buttonPath}.type", ["quick_reply"], out _)
                         ?? Object(button, "quick_reply", $"{buttonPath}.quick_reply", out var reply)
                         ?? String(reply, "id", $"{buttonPath}.quick_reply.id", 256, out _)
                         ?? String(reply, "title", $"{buttonPath}.quick_reply.title", 20, out _)) is { } buttonError)
                    {
                        return buttonError;
                    }
                }
                shape = $"quick_reply x{buttons.GetArrayLength()}";
            }
            else
            {
                if ((CtaUrl(cardAction) is { } ctaError ? Prefix(ctaError, "interactive.action", $"{path}.action") : null) is { } cardCtaError)
                {
                    return cardCtaError;
                }
                shape = "cta_url";
            }
            if (buttonShape is not null && buttonShape != shape)
            {
                return ApiError.Invalid($"{path}.action", $"every card of a carousel has the same buttons ({buttonShape})");
            }
            buttonShape = shape;
        }
        return null;
    }

    /// <summary>A call button (Calling API): every parameter optional; label ≤ 20, active 1 to 43,200 minutes, payload ≤ 512.</summary>
    private static ApiError? VoiceCall(JsonElement action)
    {
        if (OneOf(action, "name", "interactive.action.name", ["voice_call"], out _) is { } error
            || OptionalObject(action, "parameters", "interactive.action.parameters", out var parameters) is { } parametersError && (error = parametersError) is not null)
        {
            return error;
        }
        if (!Present(action, "parameters", out _))
        {
            return null;
        }
        return OptionalString(parameters, "display_text", "interactive.action.parameters.display_text", 20, out _)
            ?? OptionalString(parameters, "payload", "interactive.action.parameters.payload", 512, out _)
            ?? (Present(parameters, "ttl_minutes", out _)
                ? Number(parameters, "ttl_minutes", "interactive.action.parameters.ttl_minutes", 1, 43_200, out var ttl) ?? (ttl == Math.Floor(ttl) ? null : ApiError.Invalid("interactive.action.parameters.ttl_minutes", "must be a whole number of minutes"))
                : null);
    }

    /// <summary>An error found by a shared rule, re-pointed at the place it was found.</summary>
    private static ApiError Prefix(ApiError error, string from, string to) =>
        error with { Details = error.Details.StartsWith(from, StringComparison.Ordinal) ? to + error.Details[from.Length..] : error.Details };

    private static ApiError? Footer(JsonElement interactive) =>
        OptionalObject(interactive, "footer", "interactive.footer", out var footer)
        ?? (Present(interactive, "footer", out _) ? String(footer, "text", "interactive.footer.text", 60, out _) : null);

    private static ApiError? Header(JsonElement interactive, bool required, bool textOnly)
    {
        if (!Present(interactive, "header", out var header))
        {
            return required ? ApiError.Missing("interactive.header") : null;
        }
        if (header.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Invalid("interactive.header", "must be an object");
        }
        if (OneOf(header, "type", "interactive.header.type", textOnly ? ["text"] : HeaderTypes, out var type) is { } error)
        {
            return error;
        }
        return type == "text"
            ? String(header, "text", "interactive.header.text", 60, out _)
            : Object(header, type, $"interactive.header.{type}", out var media) ?? MediaObject(media, type, $"interactive.header.{type}", captionAllowed: false);
    }

    private static ApiError? Buttons(JsonElement action)
    {
        if (Array(action, "buttons", "interactive.action.buttons", 1, 3, out var buttons) is { } error)
        {
            return error;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var button in buttons.EnumerateArray())
        {
            var path = $"interactive.action.buttons[{i++}]";
            if (button.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            string id = string.Empty;
            var problem = First(
                () => OneOf(button, "type", $"{path}.type", ["reply"], out _),
                () => Object(button, "reply", $"{path}.reply", out var reply)
                    ?? String(reply, "id", $"{path}.reply.id", 256, out id)
                    ?? String(reply, "title", $"{path}.reply.title", 20, out _));
            if (problem is not null)
            {
                return problem;
            }
            if (!ids.Add(id))
            {
                return ApiError.Invalid($"{path}.reply.id", $"'{id}' is used by another button; ids must be unique");
            }
        }
        return null;
    }

    private static ApiError? List(JsonElement action)
    {
        if (String(action, "button", "interactive.action.button", 20, out _) is { } error
            || Array(action, "sections", "interactive.action.sections", 1, 10, out var sections) is { } sectionsError && (error = sectionsError) is not null)
        {
            return error;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var rowCount = 0;
        var several = sections.GetArrayLength() > 1;
        var i = 0;
        foreach (var section in sections.EnumerateArray())
        {
            var path = $"interactive.action.sections[{i++}]";
            if (section.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            var titleError = several ? String(section, "title", $"{path}.title", 24, out _) : OptionalString(section, "title", $"{path}.title", 24, out _);
            if (titleError is not null)
            {
                return titleError;
            }
            if (Array(section, "rows", $"{path}.rows", 1, 10, out var rows) is { } rowsError)
            {
                return rowsError;
            }
            var r = 0;
            foreach (var row in rows.EnumerateArray())
            {
                var rowPath = $"{path}.rows[{r++}]";
                if (++rowCount > 10)
                {
                    return ApiError.Invalid(rowPath, "a list has at most 10 rows in all");
                }
                if (row.ValueKind != JsonValueKind.Object)
                {
                    return ApiError.Invalid(rowPath, "must be an object");
                }
                string id = string.Empty;
                if (First(
                        () => String(row, "id", $"{rowPath}.id", 200, out id),
                        () => String(row, "title", $"{rowPath}.title", 24, out _),
                        () => OptionalString(row, "description", $"{rowPath}.description", 72, out _)) is { } rowError)
                {
                    return rowError;
                }
                if (!ids.Add(id))
                {
                    return ApiError.Invalid($"{rowPath}.id", $"'{id}' is used by another row; ids must be unique");
                }
            }
        }
        return null;
    }

    private static ApiError? CtaUrl(JsonElement action)
    {
        string url = string.Empty;
        return First(
            () => OneOf(action, "name", "interactive.action.name", ["cta_url"], out _),
            () => Object(action, "parameters", "interactive.action.parameters", out var parameters)
                ?? String(parameters, "display_text", "interactive.action.parameters.display_text", 20, out _)
                ?? String(parameters, "url", "interactive.action.parameters.url", 2048, out url),
            () => HttpUrl(url, "interactive.action.parameters.url"));
    }

    private static ApiError? ProductList(JsonElement action)
    {
        if (String(action, "catalog_id", "interactive.action.catalog_id", 256, out _) is { } error
            || Array(action, "sections", "interactive.action.sections", 1, 10, out var sections) is { } sectionsError && (error = sectionsError) is not null)
        {
            return error;
        }
        var items = 0;
        var i = 0;
        foreach (var section in sections.EnumerateArray())
        {
            var path = $"interactive.action.sections[{i++}]";
            if (section.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            if (String(section, "title", $"{path}.title", 24, out _) is { } titleError)
            {
                return titleError;
            }
            if (Array(section, "product_items", $"{path}.product_items", 1, 30, out var products) is { } productsError)
            {
                return productsError;
            }
            var p = 0;
            foreach (var product in products.EnumerateArray())
            {
                var productPath = $"{path}.product_items[{p++}]";
                if (++items > 30)
                {
                    return ApiError.Invalid(productPath, "a product list has at most 30 products in all");
                }
                if (product.ValueKind != JsonValueKind.Object)
                {
                    return ApiError.Invalid(productPath, "must be an object");
                }
                if (String(product, "product_retailer_id", $"{productPath}.product_retailer_id", 256, out _) is { } productError)
                {
                    return productError;
                }
            }
        }
        return null;
    }

    private static ApiError? Flow(JsonElement action)
    {
        if (OneOf(action, "name", "interactive.action.name", ["flow"], out _) is { } error
            || Object(action, "parameters", "interactive.action.parameters", out var parameters) is { } parametersError && (error = parametersError) is not null)
        {
            return error;
        }
        if (!Present(parameters, "flow_id", out _) && !Present(parameters, "flow_name", out _))
        {
            return ApiError.Missing("interactive.action.parameters.flow_id or interactive.action.parameters.flow_name");
        }
        return First(
            () => String(parameters, "flow_message_version", "interactive.action.parameters.flow_message_version", 10, out _),
            () => String(parameters, "flow_cta", "interactive.action.parameters.flow_cta", 30, out _),
            () => OptionalString(parameters, "flow_token", "interactive.action.parameters.flow_token", 1000, out _),
            () => OptionalString(parameters, "flow_action", "interactive.action.parameters.flow_action", 20, out _));
    }

    private static ApiError? Template(JsonElement root)
    {
        if (Object(root, "template", "template", out var template) is { } error)
        {
            return error;
        }
        if ((String(template, "name", "template.name", 512, out _)
             ?? Object(template, "language", "template.language", out var language)
             ?? String(language, "code", "template.language.code", 15, out _)) is { } problem)
        {
            return problem;
        }
        if (OptionalArray(template, "components", "template.components", 20, out var components) is { } componentsError)
        {
            return componentsError;
        }
        if (!Present(template, "components", out _))
        {
            return null;
        }
        var i = 0;
        foreach (var component in components.EnumerateArray())
        {
            var path = $"template.components[{i++}]";
            if (component.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Invalid(path, "must be an object");
            }
            if (OneOf(component, "type", $"{path}.type", ComponentTypes, out var type) is { } typeError)
            {
                return typeError;
            }
            if (type == "carousel" && Array(component, "cards", $"{path}.cards", 1, 10, out _) is { } cardsError)
            {
                return cardsError;
            }
            if (type == "button")
            {
                if ((OneOf(component, "sub_type", $"{path}.sub_type", ButtonSubTypes, out _) ?? Index(component, $"{path}.index")) is { } buttonError)
                {
                    return buttonError;
                }
            }
            if (OptionalArray(component, "parameters", $"{path}.parameters", 100, out var parameters) is { } parametersError)
            {
                return parametersError;
            }
            if (!Present(component, "parameters", out _))
            {
                continue;
            }
            var p = 0;
            foreach (var parameter in parameters.EnumerateArray())
            {
                var parameterPath = $"{path}.parameters[{p++}]";
                if (Parameter(parameter, parameterPath) is { } parameterError)
                {
                    return parameterError;
                }
                if (type == "header" && !HeaderParameterTypes.Contains(parameter.GetProperty("type").GetString()!))
                {
                    return ApiError.Invalid($"{parameterPath}.type", $"a header parameter is one of {string.Join(", ", HeaderParameterTypes)}");
                }
                if (type == "body" && parameter.GetProperty("type").GetString() is not ("text" or "currency" or "date_time"))
                {
                    return ApiError.Invalid($"{parameterPath}.type", "a body parameter is text, currency or date_time");
                }
            }
        }
        return null;
    }

    private static ApiError? Index(JsonElement component, string path)
    {
        if (!Present(component, "index", out var index))
        {
            return ApiError.Missing(path);
        }
        var value = -1;
        var ok = index.ValueKind == JsonValueKind.Number ? index.TryGetInt32(out value)
            : index.ValueKind == JsonValueKind.String && int.TryParse(index.GetString(), System.Globalization.CultureInfo.InvariantCulture, out value);
        return ok && value is >= 0 and < 10 ? null : ApiError.Invalid(path, "must be a button position from 0 to 9");
    }

    private static ApiError? Parameter(JsonElement parameter, string path)
    {
        if (parameter.ValueKind != JsonValueKind.Object)
        {
            return ApiError.Invalid(path, "must be an object");
        }
        if (OneOf(parameter, "type", $"{path}.type", ParameterTypes, out var type) is { } error)
        {
            return error;
        }
        return type switch
        {
            "text" => String(parameter, "text", $"{path}.text", 32768, out _),
            "payload" => String(parameter, "payload", $"{path}.payload", 1000, out _),
            "coupon_code" => String(parameter, "coupon_code", $"{path}.coupon_code", 15, out _),
            "currency" => Object(parameter, "currency", $"{path}.currency", out var currency)
                ?? String(currency, "fallback_value", $"{path}.currency.fallback_value", 100, out _)
                ?? String(currency, "code", $"{path}.currency.code", 3, out _, min: 3)
                ?? Number(currency, "amount_1000", $"{path}.currency.amount_1000", long.MinValue, long.MaxValue, out _),
            "date_time" => Object(parameter, "date_time", $"{path}.date_time", out var dateTime)
                ?? String(dateTime, "fallback_value", $"{path}.date_time.fallback_value", 100, out _),
            "location" => Object(parameter, "location", $"{path}.location", out var location)
                ?? Number(location, "latitude", $"{path}.location.latitude", -90, 90, out _)
                ?? Number(location, "longitude", $"{path}.location.longitude", -180, 180, out _),
            "action" or "product" or "limited_time_offer" or "tap_target_configuration" => Object(parameter, type, $"{path}.{type}", out _),
            "carousel" => Object(parameter, "carousel", $"{path}.carousel", out var carousel)
                ?? Array(carousel, "cards", $"{path}.carousel.cards", 1, 10, out _),
            "button" => Object(parameter, "button", $"{path}.button", out _),
            _ => Object(parameter, type, $"{path}.{type}", out var media) ?? MediaObject(media, type, $"{path}.{type}", captionAllowed: true),
        };
    }

    private static ApiError? Reaction(JsonElement root)
    {
        if (Object(root, "reaction", "reaction", out var reaction) is { } error)
        {
            return error;
        }
        // An empty emoji removes the reaction.
        return String(reaction, "message_id", "reaction.message_id", 256, out _)
            ?? String(reaction, "emoji", "reaction.emoji", 16, out _, min: 0);
    }
}
