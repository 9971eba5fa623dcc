package io.skbtrail.agent.btf;

import java.util.List;

/**
 * The arguments of a kernel tracepoint, from its {@code btf_trace_<name>} typedef.
 *
 * <p>The kernel declares {@code typedef void (*btf_trace_<name>)(void *__data, <TP_PROTO args>)} for every
 * tracepoint; raw and BTF tracepoint programs see the TP_PROTO arguments as their context, without the leading
 * {@code void *__data}. {@link #params()} therefore excludes it, and an index into it is the program's argument slot
 * ({@code ctx[i]}).
 *
 * @param name tracepoint name without the system, e.g. {@code kfree_skb}
 * @param module module whose BTF declares it, or null for vmlinux
 * @param params the TP_PROTO arguments, in order
 */
public record TracepointSignature(String name, String module, List<Param> params) {

    public TracepointSignature {
        params = List.copyOf(params);
    }

    /**
     * One tracepoint argument.
     *
     * @param name argument name, usually empty: BTF does not name function-pointer typedef parameters
     * @param type C type string, e.g. {@code struct sk_buff *}, {@code const struct sk_buff *},
     *     {@code enum skb_drop_reason}, {@code unsigned int}
     * @param typeId BTF type id of the argument
     * @param pointee name of the struct the argument points to (through const, volatile and typedefs), or null
     *     when it is not a pointer to a named struct
     */
    public record Param(String name, String type, int typeId, String pointee) {
    }

    /** Number of TP_PROTO arguments (the leading {@code void *__data} is not counted). */
    public int paramCount() {
        return params.size();
    }

    /**
     * 0-based index in {@link #params()} of the first argument that points to the struct {@code structName}
     * ({@code "sk_buff"} or {@code "struct sk_buff"}), const or not; -1 if none.
     */
    public int indexOfParam(String structName) {
        String wanted = structName.startsWith("struct ") ? structName.substring(7) : structName;
        for (int i = 0; i < params.size(); i++) {
            if (wanted.equals(params.get(i).pointee())) {
                return i;
            }
        }
        return -1;
    }
}
