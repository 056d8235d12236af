package io.infrasteps.sandbox.consul;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A subset of Consul's filter language (hashicorp/go-bexpr) over the JSON shape of one result
 * entry: {@code and}, {@code or}, {@code not}, parentheses; {@code ==}, {@code !=},
 * {@code is empty}, {@code is not empty}, {@code in}, {@code not in}, {@code contains},
 * {@code not contains}, {@code matches}, {@code not matches}. Selectors are checked against the
 * endpoint's field list when the filter is parsed, as Consul does, so a misspelled selector is
 * an error rather than an empty result. Values are double-quoted or back-quoted strings, numbers
 * or bare identifiers.
 */
final class Filter {
    /** Prefix Consul puts before every filter error. */
    static final String ERROR_PREFIX = "Failed to create boolean expression evaluator: ";

    enum Kind { STRING, INT, BOOL, STRING_LIST, STRING_MAP, STRUCT, STRUCT_LIST }

    /** The type of one selectable field. */
    static final class Field {
        final Kind kind;
        final Map<String, Field> fields;

        private Field(Kind kind, Map<String, Field> fields) {
            this.kind = kind;
            this.fields = fields;
        }

        static final Field STRING = new Field(Kind.STRING, Map.of());
        static final Field INT = new Field(Kind.INT, Map.of());
        static final Field BOOL = new Field(Kind.BOOL, Map.of());
        static final Field STRING_LIST = new Field(Kind.STRING_LIST, Map.of());
        static final Field STRING_MAP = new Field(Kind.STRING_MAP, Map.of());

        static Field struct(Object... nameAndField) {
            return new Field(Kind.STRUCT, fieldMap(nameAndField));
        }

        static Field structList(Object... nameAndField) {
            return new Field(Kind.STRUCT_LIST, fieldMap(nameAndField));
        }

        private static Map<String, Field> fieldMap(Object... nameAndField) {
            Map<String, Field> map = new LinkedHashMap<>();
            for (int i = 0; i < nameAndField.length; i += 2) {
                map.put((String) nameAndField[i], (Field) nameAndField[i + 1]);
            }
            return map;
        }
    }

    /** Fields of {@code /v1/catalog/service/:service} entries (Consul's structs.ServiceNode). */
    static final Field CATALOG_SERVICE = Field.struct(
            "ID", Field.STRING, "Node", Field.STRING, "Address", Field.STRING, "Datacenter", Field.STRING,
            "TaggedAddresses", Field.STRING_MAP, "NodeMeta", Field.STRING_MAP, "ServiceKind", Field.STRING,
            "ServiceID", Field.STRING, "ServiceName", Field.STRING, "ServiceTags", Field.STRING_LIST,
            "ServiceAddress", Field.STRING, "ServiceMeta", Field.STRING_MAP, "ServicePort", Field.INT,
            "ServiceEnableTagOverride", Field.BOOL);

    /** Fields of {@code /v1/health/service/:service} entries (Consul's structs.CheckServiceNode). */
    static final Field HEALTH_SERVICE = Field.struct(
            "Node", Field.struct("ID", Field.STRING, "Node", Field.STRING, "Address", Field.STRING,
                    "Datacenter", Field.STRING, "TaggedAddresses", Field.STRING_MAP, "Meta", Field.STRING_MAP),
            "Service", Field.struct("Kind", Field.STRING, "ID", Field.STRING, "Service", Field.STRING,
                    "Tags", Field.STRING_LIST, "Address", Field.STRING, "Meta", Field.STRING_MAP, "Port", Field.INT,
                    "EnableTagOverride", Field.BOOL),
            "Checks", Field.structList("Node", Field.STRING, "CheckID", Field.STRING, "Name", Field.STRING,
                    "Status", Field.STRING, "Notes", Field.STRING, "Output", Field.STRING, "ServiceID", Field.STRING,
                    "ServiceName", Field.STRING, "ServiceTags", Field.STRING_LIST, "Type", Field.STRING));

    /** A filter that cannot be parsed or names an unknown selector; the message is Consul's. */
    static final class FilterException extends Exception {
        FilterException(String message) {
            super(ERROR_PREFIX + message);
        }
    }

    private enum Op { EQUAL, NOT_EQUAL, IS_EMPTY, IS_NOT_EMPTY, IN, NOT_IN, MATCHES, NOT_MATCHES }

    private interface Node {
        boolean eval(Map<String, Object> datum);
    }

    private final Node root;

    private Filter(Node root) {
        this.root = root;
    }

    /** Parses {@code expression} against the fields of {@code schema}. */
    static Filter parse(String expression, Field schema) throws FilterException {
        Parser parser = new Parser(expression, schema);
        Node node = parser.parseOr();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.noMatch("\"and\", \"or\" or EOF");
        }
        return new Filter(node);
    }

    boolean matches(Map<String, Object> datum) {
        return root.eval(datum);
    }

    // ---- parsing ----

    private static final class Parser {
        private final String text;
        private final Field schema;
        private int pos;

        Parser(String text, Field schema) {
            this.text = text;
            this.schema = schema;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        FilterException noMatch(String expected) {
            return new FilterException("1:" + (pos + 1) + " (" + pos + "): no match found, expected: " + expected);
        }

        /** True (and consumed) when the next word is {@code keyword} followed by a non-identifier character. */
        boolean keyword(String keyword) {
            skipSpace();
            if (text.startsWith(keyword, pos)) {
                int end = pos + keyword.length();
                if (end == text.length() || !isIdentPart(text.charAt(end))) {
                    pos = end;
                    return true;
                }
            }
            return false;
        }

        boolean symbol(String symbol) {
            skipSpace();
            if (text.startsWith(symbol, pos)) {
                pos += symbol.length();
                return true;
            }
            return false;
        }

        Node parseOr() throws FilterException {
            Node left = parseAnd();
            while (keyword("or")) {
                Node l = left;
                Node r = parseAnd();
                left = d -> l.eval(d) || r.eval(d);
            }
            return left;
        }

        Node parseAnd() throws FilterException {
            Node left = parseNot();
            while (keyword("and")) {
                Node l = left;
                Node r = parseNot();
                left = d -> l.eval(d) && r.eval(d);
            }
            return left;
        }

        Node parseNot() throws FilterException {
            int mark = pos;
            if (keyword("not")) {
                skipSpace();
                // "not" starts a negation unless it is a selector named "not..." (identifiers never equal "not").
                Node inner = parseNot();
                return d -> !inner.eval(d);
            }
            pos = mark;
            return parsePrimary();
        }

        Node parsePrimary() throws FilterException {
            skipSpace();
            if (symbol("(")) {
                Node inner = parseOr();
                if (!symbol(")")) {
                    throw noMatch("\")\", \"and\" or \"or\"");
                }
                return inner;
            }
            if (atEnd()) {
                throw noMatch("\"(\", \"not\", a selector or a value");
            }
            char c = text.charAt(pos);
            if (c == '"' || c == '`' || c == '-' || Character.isDigit(c)) {
                // <value> [not] in <selector>
                String value = parseValue();
                boolean negate = keyword("not");
                if (!keyword("in")) {
                    throw noMatch("\"in\" or \"not in\"");
                }
                Selector selector = parseSelector();
                return match(selector, negate ? Op.NOT_IN : Op.IN, value);
            }
            Selector selector = parseSelector();
            skipSpace();
            if (symbol("==")) {
                return match(selector, Op.EQUAL, parseValue());
            }
            if (symbol("!=")) {
                return match(selector, Op.NOT_EQUAL, parseValue());
            }
            if (keyword("is")) {
                boolean negate = keyword("not");
                if (!keyword("empty")) {
                    throw noMatch("\"empty\" or \"not empty\"");
                }
                return match(selector, negate ? Op.IS_NOT_EMPTY : Op.IS_EMPTY, null);
            }
            boolean negate = keyword("not");
            if (keyword("contains")) {
                return match(selector, negate ? Op.NOT_IN : Op.IN, parseValue());
            }
            if (keyword("matches")) {
                return match(selector, negate ? Op.NOT_MATCHES : Op.MATCHES, parseValue());
            }
            throw noMatch("\"!=\", \"==\", \"contains\", \"is\", \"matches\", \"not\", \".\" or \"[\"");
        }

        Selector parseSelector() throws FilterException {
            skipSpace();
            List<String> path = new ArrayList<>();
            path.add(identifier());
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.') {
                    pos++;
                    path.add(identifier());
                } else if (c == '[') {
                    pos++;
                    skipSpace();
                    if (atEnd() || (text.charAt(pos) != '"' && text.charAt(pos) != '`')) {
                        throw noMatch("a quoted string");
                    }
                    path.add(quoted());
                    skipSpace();
                    if (!symbol("]")) {
                        throw noMatch("\"]\"");
                    }
                } else {
                    break;
                }
            }
            boolean[] collection = new boolean[1];
            Field field = resolve(path, collection);
            return new Selector(path, field, collection[0]);
        }

        String identifier() throws FilterException {
            int start = pos;
            if (pos < text.length() && Character.isLetter(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
                while (pos < text.length() && isIdentPart(text.charAt(pos))) {
                    pos++;
                }
                return text.substring(start, pos);
            }
            throw noMatch("[a-zA-Z]");
        }

        String parseValue() throws FilterException {
            skipSpace();
            if (atEnd()) {
                throw noMatch("a value");
            }
            char c = text.charAt(pos);
            if (c == '"' || c == '`') {
                return quoted();
            }
            int start = pos;
            if (c == '-' || Character.isDigit(c)) {
                pos++;
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                return text.substring(start, pos);
            }
            if (Character.isLetter(c) && c < 128) {
                return identifier();
            }
            throw noMatch("a value");
        }

        String quoted() throws FilterException {
            char quote = text.charAt(pos);
            int start = pos;
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && quote == '"') {
                    if (pos >= text.length()) {
                        break;
                    }
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n': out.append('\n'); break;
                        case 't': out.append('\t'); break;
                        case 'r': out.append('\r'); break;
                        case '\\': out.append('\\'); break;
                        case '"': out.append('"'); break;
                        case 'u':
                            if (pos + 4 > text.length()) {
                                throw noMatch("4 hex digits");
                            }
                            try {
                                out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw noMatch("4 hex digits");
                            }
                            pos += 4;
                            break;
                        default:
                            throw noMatch("a valid escape sequence");
                    }
                } else {
                    out.append(c);
                }
            }
            pos = start;
            throw noMatch("a closing " + quote);
        }

        Field resolve(List<String> path, boolean[] collection) throws FilterException {
            Field field = schema;
            for (int i = 0; i < path.size(); i++) {
                if (field.kind == Kind.STRUCT_LIST) {
                    collection[0] = true;
                }
                Field next;
                if (field.kind == Kind.STRING_MAP) {
                    next = Field.STRING;
                } else if (field.kind == Kind.STRUCT || field.kind == Kind.STRUCT_LIST) {
                    next = field.fields.get(path.get(i));
                } else {
                    next = null;
                }
                if (next == null) {
                    throw new FilterException("Selector \"" + String.join(".", path.subList(0, i + 1)) + "\" is not valid");
                }
                field = next;
            }
            return field;
        }

        Node match(Selector selector, Op op, String value) throws FilterException {
            Kind kind = selector.collection ? Kind.STRING_LIST : selector.field.kind;
            boolean ok;
            switch (op) {
                case EQUAL:
                case NOT_EQUAL:
                    ok = kind == Kind.STRING || kind == Kind.INT || kind == Kind.BOOL;
                    break;
                case MATCHES:
                case NOT_MATCHES:
                    ok = kind == Kind.STRING;
                    break;
                case IN:
                case NOT_IN:
                    ok = kind == Kind.STRING || kind == Kind.STRING_LIST || kind == Kind.STRING_MAP;
                    break;
                default:
                    ok = kind != Kind.INT && kind != Kind.BOOL && kind != Kind.STRUCT;
            }
            if (!ok) {
                throw new FilterException("Invalid match operator \"" + opName(op) + "\" for selector \"" + selector + "\"");
            }
            Object expected = value;
            if (value != null && kind == Kind.INT) {
                try {
                    expected = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new FilterException("Failed to coerce value \"" + value + "\" for selector \"" + selector
                            + "\": strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
                }
            } else if (value != null && kind == Kind.BOOL) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new FilterException("Failed to coerce value \"" + value + "\" for selector \"" + selector
                            + "\": strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
                }
                expected = Boolean.parseBoolean(value);
            }
            Pattern pattern = null;
            if (op == Op.MATCHES || op == Op.NOT_MATCHES) {
                try {
                    pattern = Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    throw new FilterException("Failed to compile regular expression \"" + value + "\": " + e.getDescription());
                }
            }
            Object want = expected;
            Pattern regex = pattern;
            return d -> test(selector, op, want, regex, d);
        }

        private static boolean isIdentPart(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
        }
    }

    private static String opName(Op op) {
        switch (op) {
            case EQUAL: return "Equal";
            case NOT_EQUAL: return "Not Equal";
            case IS_EMPTY: return "Is Empty";
            case IS_NOT_EMPTY: return "Is Not Empty";
            case IN: return "In";
            case NOT_IN: return "Not In";
            case MATCHES: return "Matches";
            default: return "Not Matches";
        }
    }

    private static final Object MISSING = new Object();

    private static final class Selector {
        final List<String> path;
        final Field field;
        /** True when the path goes through a list of structs ({@code Checks.Status}): one value per element. */
        final boolean collection;

        Selector(List<String> path, Field field, boolean collection) {
            this.path = path;
            this.field = field;
            this.collection = collection;
        }

        @Override
        public String toString() {
            return String.join(".", path);
        }
    }

    private static boolean test(Selector selector, Op op, Object want, Pattern regex, Map<String, Object> datum) {
        Object value = lookup(datum, selector.path, 0);
        switch (op) {
            case EQUAL:
                return value != MISSING && value != null && equal(value, want);
            case NOT_EQUAL:
                return !(value != MISSING && value != null && equal(value, want));
            case MATCHES:
                return value instanceof String && regex.matcher((String) value).find();
            case NOT_MATCHES:
                return !(value instanceof String && regex.matcher((String) value).find());
            case IN:
                return contains(value, (String) want);
            case NOT_IN:
                return !contains(value, (String) want);
            case IS_EMPTY:
                return isEmpty(value);
            default:
                return !isEmpty(value);
        }
    }

    private static boolean equal(Object actual, Object want) {
        if (actual instanceof Number && want instanceof Long) {
            return ((Number) actual).longValue() == (Long) want;
        }
        return actual.equals(want);
    }

    private static boolean contains(Object value, String want) {
        if (value instanceof String) {
            return ((String) value).contains(want);
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).containsKey(want);
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).contains(want);
        }
        return false;
    }

    private static boolean isEmpty(Object value) {
        if (value == MISSING || value == null) {
            return true;
        }
        if (value instanceof String) {
            return ((String) value).isEmpty();
        }
        if (value instanceof Map) {
            return ((Map<?, ?>) value).isEmpty();
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).isEmpty();
        }
        return false;
    }

    /** Walks {@code path}; through a list of structs it collects one value per element into a list. */
    private static Object lookup(Object current, List<String> path, int from) {
        for (int i = from; i < path.size(); i++) {
            if (current instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) current;
                if (!map.containsKey(path.get(i))) {
                    return MISSING;
                }
                current = map.get(path.get(i));
            } else if (current instanceof List) {
                List<Object> collected = new ArrayList<>();
                for (Object element : (List<?>) current) {
                    Object v = lookup(element, path, i);
                    if (v instanceof Collection) {
                        collected.addAll((Collection<?>) v);
                    } else if (v != MISSING && v != null) {
                        collected.add(v);
                    }
                }
                return collected;
            } else {
                return MISSING;
            }
        }
        return current;
    }
}
