package net.sf.json;

/** Stand-in for json-lib's {@code net.sf.json.JSONObject}; passed through, no member is used. */
public final class JSONObject {
    public JSONObject() {
    }
}
