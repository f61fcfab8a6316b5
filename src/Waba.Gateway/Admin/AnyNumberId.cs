using System.Reflection;
using Waba.Gateway.Tenancy;

namespace Waba.Gateway.Admin;

/// <summary>
/// Lets every admin route that names a number (a handler parameter called <c>id</c>, as in
/// <c>/phone_numbers/{id}</c>) take any of its ids: the gateway's, WhatsApp's <c>phone_number_id</c>, or the phone
/// number. The handler then sees the gateway's id; a number that does not exist stays as given and gets the handler's 404.
/// </summary>
internal static class AnyNumberId
{
    public static EndpointFilterDelegate Factory(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => p is { Name: "id" } && p.ParameterType == typeof(string));
        if (index < 0)
        {
            return next;
        }
        return async invocation =>
        {
            if (invocation.Arguments[index] is string given)
            {
                var store = invocation.HttpContext.RequestServices.GetRequiredService<ITenantStore>();
                if (await store.FindChannelByAnyIdAsync(given, invocation.HttpContext.RequestAborted) is { } channel)
                {
                    invocation.Arguments[index] = channel.Id;
                }
            }
            return await next(invocation);
        };
    }
}
