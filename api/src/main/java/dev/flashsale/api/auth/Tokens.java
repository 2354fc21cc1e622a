package dev.flashsale.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.RegisteredClaims;
import com.auth0.jwt.interfaces.DecodedJWT;

import dev.flashsale.api.http.ApiError;
import dev.flashsale.sale.Limits;
import io.javalin.http.Context;

/**
 * Signed bearer tokens (HS256 JWT): the subject is the caller's id, the {@code role} claim
 * says whether it is a shopper or an admin. Verification checks the signature, the issuer,
 * the audience (this API, so that a token minted for another service of the same issuer is
 * refused) and the expiry, which every token must carry: a token without {@code exp} would be
 * valid forever. The subject becomes the shopper id stored with every order, so it must fit
 * {@code orders.shopper_id} ({@link Limits#SHOPPER_ID_LENGTH} characters, printable).
 */
public final class Tokens {

    private static final String ROLE_CLAIM = "role";
    private static final String BEARER = "Bearer ";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public Tokens(String secret, String issuer, String audience, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        this.verifier = ((JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(issuer)
                .withAudience(audience)
                .withClaimPresence(RegisteredClaims.EXPIRES_AT))
                .build(clock);
    }

    public String issue(String subject, Role role, Duration ttl) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(issuer)
                .withAudience(audience)
                .withSubject(subject)
                .withClaim(ROLE_CLAIM, role.name().toLowerCase(Locale.ROOT))
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .sign(algorithm);
    }

    /** The shopper calling, or 401 (no or bad token) / 403 (not a shopper's token). */
    public Caller shopper(Context ctx) {
        return require(ctx, Role.SHOPPER);
    }

    /** The admin calling, or 401 / 403. */
    public Caller admin(Context ctx) {
        return require(ctx, Role.ADMIN);
    }

    private Caller require(Context ctx, Role role) {
        Caller caller = verify(ctx.header("Authorization"));
        if (caller.role() != role) {
            throw ApiError.forbidden("forbidden", "this needs a " + role.name().toLowerCase(Locale.ROOT) + " token");
        }
        return caller;
    }

    Caller verify(String authorization) {
        if (authorization == null || !authorization.startsWith(BEARER)) {
            throw ApiError.unauthorized("send 'Authorization: Bearer <token>'");
        }
        try {
            DecodedJWT jwt = verifier.verify(authorization.substring(BEARER.length()).trim());
            // The verifier only checks that an "exp" claim is there: "exp": null passes it.
            if (jwt.getExpiresAtAsInstant() == null) {
                throw ApiError.unauthorized("the token must carry an expiry (exp)");
            }
            String role = jwt.getClaim(ROLE_CLAIM).asString();
            // A JSON string, not whatever the library makes of a number or an object.
            String subject = jwt.getClaim(RegisteredClaims.SUBJECT).asString();
            if (role == null || !Limits.isPrintableText(subject, Limits.SHOPPER_ID_LENGTH)) {
                throw ApiError.unauthorized("the token must name a role and a subject of 1-" + Limits.SHOPPER_ID_LENGTH
                        + " printable characters");
            }
            return new Caller(subject, Role.valueOf(role.toUpperCase(Locale.ROOT)));
        } catch (JWTVerificationException | IllegalArgumentException e) {
            throw ApiError.unauthorized("the token is not valid: " + e.getMessage());
        } catch (ApiError refused) {
            throw refused;
        } catch (RuntimeException e) {
            // The library decodes the claims before it checks the signature, and a time claim
            // beyond what an Instant holds ("exp": 1e17) throws on the way: still just a bad token.
            throw ApiError.unauthorized("the token is not valid: its claims cannot be read");
        }
    }
}
