package io.teledrop.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Sign-in with an OpenID Connect provider, and its access tokens for API clients; read by {@link Settings}
 * when {@value #ISSUER} is set. Without it Teledrop knows only API keys, delete tokens and anonymous users.
 *
 * @param issuer           {@value #ISSUER}: the provider's issuer URL (its discovery document is at
 *                         {@code /.well-known/openid-configuration} below it); https, or http on a loopback address
 * @param clientId         {@value #CLIENT_ID}: Teledrop's client at the provider
 * @param clientSecret     {@value #CLIENT_SECRET}: empty for a public client (PKCE alone then protects the code)
 * @param scopes           {@value #SCOPES}: asked at sign-in; {@code openid} is always among them
 * @param groupsClaim      {@value #GROUPS_CLAIM}: the claim (a dotted path for nested ones, such as
 *                         {@code realm_access.roles}) that lists a person's groups or app roles
 * @param adminGroup       {@value #ADMIN_GROUP}: members are admins (every permission); empty = nobody by group
 * @param uploaderGroup    {@value #UPLOADER_GROUP}: members may upload (permission {@code create}) even while
 *                         anonymous uploads are off; empty = nobody by group
 * @param nameClaim        {@value #NAME_CLAIM}: the display name; {@code preferred_username}, {@code email}
 *                         and the subject stand in when it is missing
 * @param audience         {@value #AUDIENCE}: what access tokens must name in {@code aud}; the client id by default
 * @param permissionsClaim {@value #PERMISSIONS_CLAIM}: the claim of an access token (or ID token) whose values
 *                         {@code read}, {@code create}, {@code update}, {@code delete}, {@code admin} grant those permissions
 */
public record OidcSettings(
        URI issuer,
        String clientId,
        Optional<String> clientSecret,
        List<String> scopes,
        String groupsClaim,
        Optional<String> adminGroup,
        Optional<String> uploaderGroup,
        String nameClaim,
        String audience,
        String permissionsClaim) {

    public static final String ISSUER = "teledrop.auth.oidc.issuer";
    public static final String CLIENT_ID = "teledrop.auth.oidc.client-id";
    public static final String CLIENT_SECRET = "teledrop.auth.oidc.client-secret";
    public static final String SCOPES = "teledrop.auth.oidc.scopes";
    public static final String GROUPS_CLAIM = "teledrop.auth.oidc.groups-claim";
    public static final String ADMIN_GROUP = "teledrop.auth.oidc.admin-group";
    public static final String UPLOADER_GROUP = "teledrop.auth.oidc.uploader-group";
    public static final String NAME_CLAIM = "teledrop.auth.oidc.name-claim";
    public static final String AUDIENCE = "teledrop.auth.oidc.audience";
    public static final String PERMISSIONS_CLAIM = "teledrop.auth.oidc.permissions-claim";

    public OidcSettings {
        scopes = List.copyOf(scopes);
    }

    @Override
    public String toString() {
        // Never the client secret: settings are logged at start-up.
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (clientSecret.isPresent() ? "(set)" : "(none)")
                + ", scopes=" + scopes + ", groupsClaim=" + groupsClaim + ", adminGroup=" + adminGroup + ", uploaderGroup=" + uploaderGroup
                + ", nameClaim=" + nameClaim + ", audience=" + audience + ", permissionsClaim=" + permissionsClaim + "]";
    }
}
