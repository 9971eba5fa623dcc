package io.skbtrail.agent.btf;

/**
 * Renders a BTF type id as a C type string: {@code struct sk_buff *}, {@code const struct sk_buff *},
 * {@code enum skb_drop_reason}, {@code char * const}, {@code int[4]}, {@code void (*)(struct sk_buff *, int)}.
 *
 * <p>Type tags ({@code __user}, {@code __rcu}, address spaces) are BTF annotations, not C types: they are dropped.
 * Anonymous aggregates render as {@code struct {...}}.
 */
final class TypeRenderer {
    /** Valid BTF only loops through struct members, which rendering never follows; this bounds malformed input. */
    private static final int MAX_DEPTH = 64;

    private final BtfFile btf;

    TypeRenderer(BtfFile btf) {
        this.btf = btf;
    }

    String render(int id) {
        return render(id, 0);
    }

    private String render(int id, int depth) {
        if (depth > MAX_DEPTH) {
            return "?";
        }
        Kind kind = btf.kind(id);
        switch (kind) {
            case VOID:
                return "void";
            case STRUCT:
                return "struct " + nameOrAnon(id);
            case UNION:
                return "union " + nameOrAnon(id);
            case ENUM:
            case ENUM64:
                return "enum " + nameOrAnon(id);
            case FWD:
                return (btf.kindFlag(id) ? "union " : "struct ") + btf.name(id);
            case PTR:
                return pointer(btf.sizeOrType(id), depth);
            case CONST:
                return qualified("const", btf.sizeOrType(id), depth);
            case VOLATILE:
                return qualified("volatile", btf.sizeOrType(id), depth);
            case RESTRICT:
                return qualified("restrict", btf.sizeOrType(id), depth);
            case TYPE_TAG:
            case VAR:
            case DECL_TAG:
                return render(btf.sizeOrType(id), depth + 1);
            case ARRAY:
                return array(id, depth);
            case FUNC_PROTO:
                return proto(id, " ", depth);
            default: // INT, FLOAT, TYPEDEF, FUNC, DATASEC: their name is the C spelling
                return btf.name(id);
        }
    }

    private String nameOrAnon(int id) {
        String name = btf.name(id);
        return name.isEmpty() ? "{...}" : name;
    }

    private String pointer(int target, int depth) {
        int t = skipTags(target);
        Kind kind = btf.kind(t);
        if (kind == Kind.FUNC_PROTO) {
            return proto(t, " (*)", depth);
        }
        if (kind == Kind.ARRAY) {
            StringBuilder dims = new StringBuilder();
            int elem = dimensions(t, dims);
            return render(elem, depth + 1) + " (*)" + dims;
        }
        String inner = render(target, depth + 1);
        return inner.endsWith("*") ? inner + "*" : inner + " *";
    }

    /** {@code const int}, but {@code int * const} for a qualified pointer (bpftool's spelling). */
    private String qualified(String qualifier, int target, int depth) {
        String inner = render(target, depth + 1);
        return inner.endsWith("*") ? inner + " " + qualifier : qualifier + " " + inner;
    }

    /** {@code int[2][3]}: nested BTF arrays are outermost first, as in C. */
    private String array(int id, int depth) {
        StringBuilder dims = new StringBuilder();
        int elem = dimensions(id, dims);
        return render(elem, depth + 1) + dims;
    }

    private int dimensions(int id, StringBuilder dims) {
        for (int hops = 0; btf.kind(id) == Kind.ARRAY && hops < MAX_DEPTH; hops++) {
            // struct btf_array { u32 type; u32 index_type; u32 nelems; }
            dims.append('[').append(Integer.toUnsignedString(btf.extra(id, 2))).append(']');
            id = btf.extra(id, 0);
        }
        return id;
    }

    /** {@code ret<declarator>(params)}; an unnamed last parameter of type 0 is C's {@code ...}. */
    private String proto(int id, String declarator, int depth) {
        StringBuilder sb = new StringBuilder(render(btf.sizeOrType(id), depth + 1));
        sb.append(declarator).append('(');
        int n = btf.vlen(id);
        if (n == 0) {
            sb.append("void");
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            int type = btf.extra(id, 2 * i + 1); // struct btf_param { name_off; type; }
            sb.append(type == 0 && i == n - 1 ? "..." : render(type, depth + 1));
        }
        return sb.append(')').toString();
    }

    private int skipTags(int id) {
        for (int hops = 0; btf.kind(id) == Kind.TYPE_TAG && hops < MAX_DEPTH; hops++) {
            id = btf.sizeOrType(id);
        }
        return id;
    }
}
