package io.skbtrail.agent.btf;

/**
 * BTF type kinds ({@code BTF_KIND_*} in {@code include/uapi/linux/btf.h}), with their kernel codes.
 *
 * <p>{@link #VOID} stands for type id 0, which has no entry in the type section.
 */
public enum Kind {
    VOID(0),
    INT(1),
    PTR(2),
    ARRAY(3),
    STRUCT(4),
    UNION(5),
    ENUM(6),
    FWD(7),
    TYPEDEF(8),
    VOLATILE(9),
    CONST(10),
    RESTRICT(11),
    FUNC(12),
    FUNC_PROTO(13),
    VAR(14),
    DATASEC(15),
    FLOAT(16),
    DECL_TAG(17),
    TYPE_TAG(18),
    ENUM64(19);

    private static final Kind[] BY_CODE = values();

    private final int code;

    Kind(int code) {
        this.code = code;
    }

    /** The {@code BTF_KIND_*} value stored in bits 24–28 of a type's {@code info} word. */
    public int code() {
        return code;
    }

    /** The kind with this code, or null when the code is unknown (BTF newer than this reader). */
    static Kind ofCode(int code) {
        return code >= 1 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * Bytes of kind-specific data that follow the 12-byte {@code struct btf_type}; {@code vlen} is bits 0–15 of
     * {@code info}.
     */
    int trailingBytes(int vlen) {
        switch (this) {
            case INT:      // u32 encoding/offset/bits
            case VAR:      // struct btf_var { u32 linkage; }
            case DECL_TAG: // struct btf_decl_tag { s32 component_idx; }
                return 4;
            case ARRAY:    // struct btf_array { type, index_type, nelems }
                return 12;
            case STRUCT:
            case UNION:    // struct btf_member { name_off, type, offset } per member
            case DATASEC:  // struct btf_var_secinfo { type, offset, size } per variable
            case ENUM64:   // struct btf_enum64 { name_off, val_lo32, val_hi32 } per value
                return 12 * vlen;
            case ENUM:       // struct btf_enum { name_off, s32 val } per value
            case FUNC_PROTO: // struct btf_param { name_off, type } per parameter
                return 8 * vlen;
            default:       // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
                return 0;
        }
    }
}
