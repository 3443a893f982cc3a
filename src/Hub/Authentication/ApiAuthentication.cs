using LxAnnotate.Hub.Configuration;
using LxAnnotate.Shared.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// Bearer tokens of the OIDC provider for the REST gateway. JWT is the default scheme, so
/// <c>UseAuthentication</c> validates a token on every API request; the node-certificate scheme stays
/// registered under its own name and is only asked for explicitly on the transfer listener.
/// </summary>
internal static class ApiAuthentication
{
    /// <summary>How often the key set is fetched again although every token verified.</summary>
    public static readonly TimeSpan KeyRefreshInterval = TimeSpan.FromHours(6);

    /// <summary>Lower bound between fetches triggered by an unknown <c>kid</c> (key rotation), so a flood of forged tokens cannot hammer the provider.</summary>
    public static readonly TimeSpan MinimumKeyRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>Only public-key signatures: with a JWKS of public keys, a symmetric algorithm could only mean a forgery attempt.</summary>
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>Resolves and registers <see cref="ApiAuthenticationOptions"/>, then the bearer-token scheme when OIDC is configured.</summary>
    internal static WebApplicationBuilder AddApiAuthentication(this WebApplicationBuilder builder, HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.Services.AddResolvedOptions<ApiAuthenticationOptions, ApiAuthenticationOptionsValidator>(
            ApiAuthenticationOptionsResolver.Resolve(environment, role));
        if (settings.Oidc is not { } oidc)
        {
            return builder;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = oidc.Issuer,
            ValidAudience = oidc.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidAlgorithms = AsymmetricAlgorithms,
            ClockSkew = TimeSpan.FromMinutes(1),
            NameClaimType = "sub",
        };

        // An offline host pins its keys in a file (it wins over a URL when both are set); a bad file
        // stops start-up instead of failing every request later.
        IConfigurationManager<OpenIdConnectConfiguration>? keys = null;
        if (oidc.JwksFile is { } file)
        {
            parameters.IssuerSigningKeys = LoadJwksFile(file);
        }
        else
        {
            keys = new ConfigurationManager<OpenIdConnectConfiguration>(
                oidc.JwksUrl!.AbsoluteUri,
                new JwksConfigurationRetriever(),
                new HttpDocumentRetriever(new HttpClient { Timeout = TimeSpan.FromSeconds(15), MaxResponseContentBufferSize = 1024 * 1024 })
                {
                    RequireHttps = true,
                })
            {
                AutomaticRefreshInterval = KeyRefreshInterval,
                RefreshInterval = MinimumKeyRefreshInterval,
            };
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                // Claims keep their JWT names (sub, center_keys), not the WS-Federation URIs.
                options.MapInboundClaims = false;
                options.RequireHttpsMetadata = true;
                options.SaveToken = false;
                options.RefreshOnIssuerKeyNotFound = true;
                options.TokenValidationParameters = parameters;
                options.ConfigurationManager = keys;
            });
        return builder;
    }

    private static List<SecurityKey> LoadJwksFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationContractException("OIDC_JWKS_FILE", $"file '{path}' cannot be read");
        }

        try
        {
            return JwksConfigurationRetriever.FromJson(json).SigningKeys.ToList();
        }
        catch (ArgumentException)
        {
            // The parser's own message may quote the file; the file holds no secret, but one line is enough.
            throw new ConfigurationContractException("OIDC_JWKS_FILE", $"file '{path}' is not a JSON Web Key Set with at least one signing key");
        }
    }
}
