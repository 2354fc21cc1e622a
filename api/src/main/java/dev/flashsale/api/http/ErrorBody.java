package dev.flashsale.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The body of every error answer: {@code {"error": "<code>", "message": "...", ...details}}. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Map<String, Object> of(String code, String message) {
        return of(code, message, Map.of());
    }

    public static Map<String, Object> of(String code, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.putAll(details);
        return body;
    }
}
