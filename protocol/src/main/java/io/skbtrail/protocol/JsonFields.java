package io.skbtrail.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict access to the fields of one parsed JSON object. Every error names the field by its path
 * ({@code event.tuple.sport}); {@link #requireNoOtherFields()} rejects names the contract does not have.
 */
final class JsonFields {

    private String path;
    private final Map<String, Object> fields;
    /** Names read so far; only consulted to name the culprit when an unknown field is found. */
    private String[] read = new String[32];
    private int consumed;

    JsonFields(String path, Object value) {
        this.path = path;
        this.fields = asObject(path, value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(String path, Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(path + ": expected object, got " + typeName(value));
        }
        return (Map<String, Object>) value;
    }

    /** Names this object in later messages, once its record type is known ({@code record} → {@code event}). */
    void rename(String newPath) {
        path = newPath;
    }

    private String pathOf(String name) {
        return path + "." + name;
    }

    private Object get(String name) {
        if (!fields.containsKey(name)) {
            throw new IllegalArgumentException(pathOf(name) + ": missing");
        }
        if (consumed == read.length) {
            read = Arrays.copyOf(read, consumed * 2);
        }
        read[consumed++] = name;
        return fields.get(name);
    }

    /** Whether the object has this field at all (for fields older writers leave out). */
    boolean has(String name) {
        return fields.containsKey(name);
    }

    String string(String name) {
        Object value = get(name);
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(name, "string", value);
    }

    String nullableString(String name) {
        Object value = get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(name, "string or null", value);
    }

    long integer(String name, long min, long max) {
        Object value = get(name);
        if (value instanceof Long n && n >= min && n <= max) {
            return n;
        }
        throw wrongType(name, "integer in " + min + ".." + max, value);
    }

    /** An integer in min..max, or null when the field is JSON null. */
    Long nullableInteger(String name, long min, long max) {
        Object value = get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Long n && n >= min && n <= max) {
            return n;
        }
        throw wrongType(name, "integer in " + min + ".." + max + " or null", value);
    }

    int intValue(String name, int min, int max) {
        return (int) integer(name, min, max);
    }

    Instant time(String name) {
        String text = string(name);
        try {
            return UtcTimestamp.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pathOf(name) + ": " + e.getMessage());
        }
    }

    /** The nested object, or null when the field is JSON null. */
    JsonFields nullableObject(String name) {
        Object value = get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Map) {
            return new JsonFields(pathOf(name), value);
        }
        throw wrongType(name, "object or null", value);
    }

    JsonFields object(String name) {
        Object value = get(name);
        if (value instanceof Map) {
            return new JsonFields(pathOf(name), value);
        }
        throw wrongType(name, "object", value);
    }

    /** An unmodifiable list of strings, or null when the field is JSON null. */
    List<String> nullableStringList(String name) {
        Object value = get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> items)) {
            throw wrongType(name, "array of strings or null", value);
        }
        List<String> strings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String s)) {
                throw new IllegalArgumentException(
                        pathOf(name) + "[" + i + "]: expected string, got " + typeName(items.get(i)));
            }
            strings.add(s);
        }
        return Collections.unmodifiableList(strings);
    }

    boolean bool(String name) {
        Object value = get(name);
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(name, "boolean", value);
    }

    /** The nested objects of an array field, each named by its index ({@code hello.backends[2]}). */
    List<JsonFields> objectList(String name) {
        Object value = get(name);
        if (!(value instanceof List<?> items)) {
            throw wrongType(name, "array of objects", value);
        }
        List<JsonFields> objects = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            objects.add(new JsonFields(pathOf(name) + "[" + i + "]", items.get(i)));
        }
        return objects;
    }

    /** An object whose keys are data, as an ordered map of name to string (labels, options). */
    Map<String, String> stringMap(String name) {
        JsonFields object = object(name);
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : object.fields.entrySet()) {
            if (!(entry.getValue() instanceof String s)) {
                throw new IllegalArgumentException(object.path + "." + JsonTree.quote(entry.getKey())
                        + ": expected string, got " + typeName(entry.getValue()));
            }
            strings.put(entry.getKey(), s);
        }
        return Collections.unmodifiableMap(strings);
    }

    /** An array of integers, each in min..max. */
    List<Long> longList(String name, long min, long max) {
        Object value = get(name);
        if (!(value instanceof List<?> items)) {
            throw wrongType(name, "array of integers", value);
        }
        List<Long> longs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Long n) || n < min || n > max) {
                throw new IllegalArgumentException(pathOf(name) + "[" + i + "]: expected integer in " + min + ".."
                        + max + ", got " + describe(items.get(i)));
            }
            longs.add(n);
        }
        return Collections.unmodifiableList(longs);
    }

    /** Like {@link #nullableStringList} but JSON null is refused. */
    List<String> stringList(String name) {
        List<String> list = nullableStringList(name);
        if (list == null) {
            throw wrongType(name, "array of strings", null);
        }
        return list;
    }

    /** Like {@link #time} but JSON null gives null. */
    Instant nullableTime(String name) {
        if (fields.containsKey(name) && fields.get(name) == null) {
            get(name);
            return null;
        }
        return time(name);
    }

    /**
     * The object as a map of name to non-negative integer, for objects whose keys are data (summary
     * {@code lost}).
     */
    Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        for (Map.Entry<String, Object> entry : fields.entrySet()) {
            if (!(entry.getValue() instanceof Long n) || n < 0) {
                throw new IllegalArgumentException(path + "." + JsonTree.quote(entry.getKey())
                        + ": expected integer in 0.." + Long.MAX_VALUE + ", got " + describe(entry.getValue()));
            }
            counts.put(entry.getKey(), n);
        }
        return counts;
    }

    /** Fails on the first field no accessor has read. Call after reading all expected fields. */
    void requireNoOtherFields() {
        if (consumed == fields.size()) {
            return;
        }
        List<String> known = Arrays.asList(read).subList(0, consumed);
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(path + ": unknown field " + JsonTree.quote(name));
            }
        }
    }

    private IllegalArgumentException wrongType(String name, String expected, Object value) {
        return new IllegalArgumentException(pathOf(name) + ": expected " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof Long n) {
            return "integer " + n;
        }
        if (value instanceof JsonTree.NonInteger n) {
            return n == JsonTree.NonInteger.FRACTION ? "non-integer number" : "integer out of range";
        }
        return typeName(value);
    }

    static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "integer";
        }
        if (value instanceof JsonTree.NonInteger) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Map) {
            return "object";
        }
        return "array";
    }
}
