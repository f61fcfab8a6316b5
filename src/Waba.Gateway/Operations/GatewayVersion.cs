using System.Reflection;

namespace Waba.Gateway.Operations;

/// <summary>The gateway's version, as Directory.Build.props sets it for every package (without the source revision).</summary>
public static class GatewayVersion
{
    public static string Current { get; } =
        (typeof(GatewayVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
