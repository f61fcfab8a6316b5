using Waba.Gateway.Blocking;
using Waba.Gateway.Dialects.Cloud;
using Waba.Gateway.Dialects.OnPremise;
using Waba.Gateway.Media;
using Waba.Gateway.Profiles;
using Waba.Gateway.Templates;
using Waba.Gateway.Tenancy;
using Waba.Gateway.Webhooks;

namespace Waba.Gateway.Dialects;

public static class ChannelApiEndpoints
{
    /// <summary>Maps every route authorised by <c>D360-API-KEY</c>: both dialects and the webhook configuration.</summary>
    public static RouteGroupBuilder MapChannelApi(this IEndpointRouteBuilder app)
    {
        var channelApi = app.MapGroup(string.Empty).AddEndpointFilter<ChannelAuthentication>();
        channelApi.MapCloudApi();
        channelApi.MapOnPremiseApi();
        channelApi.MapWebhookConfig();
        channelApi.MapTemplates();
        channelApi.MapMedia();
        channelApi.MapBusinessProfile();
        channelApi.MapBlockUsers();
        return channelApi;
    }
}
