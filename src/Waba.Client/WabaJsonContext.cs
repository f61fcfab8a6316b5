using System.Text.Json;
using System.Text.Json.Serialization;
using Waba.Client.Gateway;
using Waba.Client.Media;
using Waba.Client.Messages;
using Waba.Client.Templates;
using Waba.Client.Webhooks;

namespace Waba.Client;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WabaMessage))]
[JsonSerializable(typeof(SendResponse))]
[JsonSerializable(typeof(MediaInfo))]
[JsonSerializable(typeof(MediaIdResponse))]
[JsonSerializable(typeof(OnPremiseMediaResponse))]
[JsonSerializable(typeof(TemplateInfo))]
[JsonSerializable(typeof(TemplateListResponse))]
[JsonSerializable(typeof(GraphTemplateListResponse))]
[JsonSerializable(typeof(TemplateDefinition))]
[JsonSerializable(typeof(WebhookConfiguration))]
[JsonSerializable(typeof(WebhookConfigurationRequest))]
[JsonSerializable(typeof(ContactCheckRequest))]
[JsonSerializable(typeof(ContactCheckResponse))]
[JsonSerializable(typeof(CloudWebhookPayload))]
[JsonSerializable(typeof(OnPremiseWebhookPayload))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(GatewayWaba))]
[JsonSerializable(typeof(GatewayPage<GatewayWaba>))]
[JsonSerializable(typeof(GatewayNumber))]
[JsonSerializable(typeof(GatewayPage<GatewayNumber>))]
[JsonSerializable(typeof(GatewayApiKeyCreated))]
[JsonSerializable(typeof(GatewayApiKeyList))]
[JsonSerializable(typeof(GatewayEffectiveWebhook))]
[JsonSerializable(typeof(GatewayWebhookTest))]
[JsonSerializable(typeof(GatewayDelivery))]
[JsonSerializable(typeof(GatewayPage<GatewayDelivery>))]
[JsonSerializable(typeof(GatewayReplayResult))]
[JsonSerializable(typeof(GatewayPage<GatewayConversation>))]
[JsonSerializable(typeof(GatewayConversationPage))]
[JsonSerializable(typeof(GatewayDiagnosis))]
[JsonSerializable(typeof(SandboxChat))]
[JsonSerializable(typeof(GatewaySandboxUser))]
[JsonSerializable(typeof(SandboxAccepted))]
internal sealed partial class WabaJsonContext : JsonSerializerContext;
