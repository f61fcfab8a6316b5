using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waba.Client.Messages;

/// <summary>A template message: the template's name, its language and the parameters of each component.</summary>
public sealed record TemplateContent(string Name, TemplateLanguage Language)
{
    /// <summary>The WABA's template namespace; On-Premise senders name it, Cloud ignores it.</summary>
    public string? Namespace { get; init; }

    public IReadOnlyList<TemplateComponent>? Components { get; init; }
}

/// <param name="Policy">"deterministic" on the On-Premise API; leave it out on Cloud.</param>
public sealed record TemplateLanguage(string Code, string? Policy = null);

/// <summary>
/// The parameters of one component: <see cref="Type"/> is header, body, button, limited_time_offer or carousel;
/// buttons also name <see cref="SubType"/> (quick_reply, url, copy_code, flow, …) and their <see cref="Index"/>.
/// </summary>
public sealed record TemplateComponent(string Type)
{
    public string? SubType { get; init; }
    public string? Index { get; init; }
    public IReadOnlyList<TemplateParameter>? Parameters { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static TemplateComponent Header(params IReadOnlyList<TemplateParameter> parameters) => new("header") { Parameters = parameters };

    public static TemplateComponent Body(params IReadOnlyList<TemplateParameter> parameters) => new("body") { Parameters = parameters };

    /// <summary>The payload WhatsApp sends back when the user taps quick-reply button <paramref name="index"/>.</summary>
    public static TemplateComponent QuickReply(int index, string payload) =>
        new("button") { SubType = "quick_reply", Index = index.ToString(System.Globalization.CultureInfo.InvariantCulture), Parameters = [TemplateParameter.ForPayload(payload)] };

    /// <summary>The variable part of URL button <paramref name="index"/>.</summary>
    public static TemplateComponent UrlButton(int index, string urlSuffix) =>
        new("button") { SubType = "url", Index = index.ToString(System.Globalization.CultureInfo.InvariantCulture), Parameters = [TemplateParameter.ForText(urlSuffix)] };

    public static TemplateComponent CopyCode(int index, string code) =>
        new("button") { SubType = "copy_code", Index = index.ToString(System.Globalization.CultureInfo.InvariantCulture), Parameters = [TemplateParameter.ForCouponCode(code)] };
}

/// <summary>One parameter: <see cref="Type"/> says which of the members carries its value.</summary>
public sealed record TemplateParameter(string Type)
{
    /// <summary>For named parameters (<c>{{order_id}}</c>).</summary>
    public string? ParameterName { get; init; }
    public string? Text { get; init; }
    public string? Payload { get; init; }
    public CurrencyParameter? Currency { get; init; }
    public DateTimeParameter? DateTime { get; init; }
    public MediaContent? Image { get; init; }
    public MediaContent? Video { get; init; }
    public MediaContent? Document { get; init; }
    public LocationContent? Location { get; init; }
    public string? CouponCode { get; init; }
    public LimitedTimeOfferParameter? LimitedTimeOffer { get; init; }
    public TemplateActionParameter? Action { get; init; }
    public ProductParameter? Product { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static TemplateParameter ForText(string text, string? name = null) => new("text") { Text = text, ParameterName = name };
    public static TemplateParameter ForPayload(string payload) => new("payload") { Payload = payload };
    public static TemplateParameter ForCurrency(string fallback, string code, long amount1000) => new("currency") { Currency = new CurrencyParameter(fallback, code, amount1000) };
    public static TemplateParameter ForDateTime(string fallback) => new("date_time") { DateTime = new DateTimeParameter(fallback) };
    public static TemplateParameter ForImage(MediaSource media) => new("image") { Image = media.ToContent(null) };
    public static TemplateParameter ForVideo(MediaSource media) => new("video") { Video = media.ToContent(null) };
    public static TemplateParameter ForDocument(MediaSource media, string? filename = null) => new("document") { Document = media.ToContent(null) with { Filename = filename } };
    public static TemplateParameter ForLocation(double latitude, double longitude, string? name = null, string? address = null) =>
        new("location") { Location = new LocationContent(latitude, longitude, name, address) };
    public static TemplateParameter ForCouponCode(string code) => new("coupon_code") { CouponCode = code };
    public static TemplateParameter ForLimitedTimeOffer(DateTimeOffset expires) =>
        new("limited_time_offer") { LimitedTimeOffer = new LimitedTimeOfferParameter(expires.ToUnixTimeMilliseconds()) };
    public static TemplateParameter ForFlow(string flowToken) => new("action") { Action = new TemplateActionParameter { FlowToken = flowToken } };
    public static TemplateParameter ForProduct(string catalogId, string productRetailerId) => new("product") { Product = new ProductParameter(catalogId, productRetailerId) };
}

public sealed record CurrencyParameter(string FallbackValue, string Code, [property: JsonPropertyName("amount_1000")] long Amount1000);

public sealed record DateTimeParameter(string FallbackValue);

public sealed record LimitedTimeOfferParameter(long ExpirationTimeMs);

public sealed record TemplateActionParameter
{
    public string? FlowToken { get; init; }
    public string? ThumbnailProductRetailerId { get; init; }
}

public sealed record ProductParameter(string CatalogId, string ProductRetailerId);
