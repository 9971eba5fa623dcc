package io.skbtrail.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader for one line of untrusted input. Values become {@link String},
 * {@link Long}, {@link Boolean}, {@code null}, {@link List}, {@link LinkedHashMap}, or a {@link
 * NonInteger} marker for numbers the contract never uses. Nesting depth and string length are capped, so
 * hostile input fails fast with an {@link IllegalArgumentException} instead of exhausting the stack or
 * the heap; the work is linear in the input length.
 */
final class JsonTree {

    /** The contract nests two levels; anything much deeper is not one of its records. */
    static final int MAX_DEPTH = 16;

    /** Cap on the fields of one object or the items of one array (a stack has at most a few dozen). */
    static final int MAX_MEMBERS = 4096;

    /** A syntactically valid JSON number that is not an integer in the range of a {@code long}. */
    enum NonInteger {
        FRACTION, OUT_OF_RANGE
    }

    private final String text;
    private final int maxStringLength;
    private final StringBuilder unescaped = new StringBuilder();
    private int pos;

    private JsonTree(String text, int maxStringLength) {
        this.text = text;
        this.maxStringLength = maxStringLength;
    }

    /** Parses a whole JSON text; only whitespace may surround the value. */
    static Object parse(String text, int maxStringLength) {
        JsonTree reader = new JsonTree(text, maxStringLength);
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object value(int depth) {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(c));
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, Object> fields = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return fields;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth);
            if (fields.containsKey(name)) {
                throw error("duplicate field " + quote(name));
            }
            if (fields.size() == MAX_MEMBERS) {
                throw error("more than " + MAX_MEMBERS + " fields in an object");
            }
            fields.put(name, value);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return fields;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++;
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            if (items.size() == MAX_MEMBERS) {
                throw error("more than " + MAX_MEMBERS + " items in an array");
            }
            items.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return items;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private String string() {
        int start = ++pos;
        int end = text.length();
        // Fast path: no escapes.
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                checkLength(i - start);
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        unescaped.setLength(0);
        while (true) {
            if (pos >= end) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return unescaped.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character in string");
            }
            if (c == '\\') {
                c = escape();
            }
            unescaped.append(c);
            checkLength(unescaped.length());
        }
    }

    /**
     * The character a one-letter escape ({@code \n}, {@code \"}, …) stands for, or 0 for any other letter:
     * shared with {@link FastEventLine}, which must decode exactly as this parser does.
     */
    static char simpleEscape(char c) {
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            default: return 0;
        }
    }

    private char escape() {
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        char simple = simpleEscape(c);
        if (simple != 0) {
            return simple;
        }
        switch (c) {
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("truncated \\u escape");
                }
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(text.charAt(pos++), 16);
                    if (digit < 0) {
                        pos--;
                        throw error("bad hex digit in \\u escape");
                    }
                    value = value << 4 | digit;
                }
                return (char) value;
            default:
                pos--;
                throw error("bad escape \\" + describe(c));
        }
    }

    private void checkLength(int length) {
        if (length > maxStringLength) {
            throw error("string longer than " + maxStringLength + " characters");
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        int intStart = pos;
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        int intEnd = pos;
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("expected a digit after '.'");
            }
            integer = false;
        }
        char e = peek();
        if (e == 'e' || e == 'E') {
            pos++;
            char sign = peek();
            if (sign == '+' || sign == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
            integer = false;
        }
        if (!integer) {
            return NonInteger.FRACTION;
        }
        if (intEnd - intStart > 19) {
            return NonInteger.OUT_OF_RANGE;
        }
        try {
            return Long.parseLong(text, start, intEnd, 10);
        } catch (NumberFormatException overflow) {
            return NonInteger.OUT_OF_RANGE;
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unknown literal");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The next character, or NUL at the end (never expected, so callers report it as an error). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        if (pos >= text.length()) {
            return new IllegalArgumentException("malformed JSON: truncated at offset " + pos + " (" + what + ")");
        }
        return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + what);
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** A field name for an error message: quoted, shortened, control characters replaced. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < Math.min(name.length(), 64); i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (name.length() > 64) {
            sb.append('…');
        }
        return sb.append('"').toString();
    }
}
