package dev.flashsale.api.http;

import java.util.Map;

/**
 * A request the platform refuses, with the HTTP status and the error code the client sees.
 * Thrown anywhere below a controller; {@link ErrorMapping} renders it once.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> details;

    public ApiError(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message, Map.of());
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Map.of());
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(403, code, message, Map.of());
    }

    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message, Map.of());
    }

    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message, Map.of());
    }

    /** The node has no {@code mysql.url}, so it cannot read what the event path recorded. */
    public static ApiError mysqlNotConfigured() {
        return new ApiError(503, "mysql_not_configured", "this API node has no mysql.url; it cannot read the orders", Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
