package io.skbtrail.agent.btf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The kernel's BTF: vmlinux, optionally with the split BTF of loaded modules.
 *
 * <p>Type ids ({@link #typeId}, {@link #typeName}, {@link #render}, {@link #kind}) are those of this object's own id
 * space: vmlinux ids for the object returned by {@link #load} and {@link #loadWithModules}, vmlinux plus the module's
 * ids for a {@link #module(String)} view. Modules' ids all continue after vmlinux's, so two modules reuse the same
 * ids; look module types up through their view. The higher-level queries ({@link #enumValues},
 * {@link #tracepoint}, {@link #skbFunctions}) search vmlinux first, then each loaded module.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class KernelBtf {
    /** Where the running kernel exposes its BTF ({@code CONFIG_DEBUG_INFO_BTF}); modules sit next to it. */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static final String TRACEPOINT_TYPEDEF_PREFIX = "btf_trace_";

    private final BtfFile btf;
    private final String module;
    private final Map<String, KernelBtf> modules;
    private final TypeRenderer renderer;
    private volatile List<SkbFunction> skbFunctions;
    private volatile DropReasons dropReasons;

    private KernelBtf(BtfFile btf, String module, Map<String, KernelBtf> modules) {
        this.btf = btf;
        this.module = module;
        this.modules = modules;
        this.renderer = new TypeRenderer(btf);
    }

    /**
     * Loads vmlinux BTF ({@link #VMLINUX} or the file given by {@code --kernel-btf}).
     *
     * @throws BtfException when the file is missing, unreadable, not BTF or malformed; the message says which
     */
    public static KernelBtf load(Path vmlinux) throws BtfException {
        return new KernelBtf(BtfFile.read(vmlinux, null), null, Map.of());
    }

    /**
     * Loads vmlinux BTF and the split BTF of modules ({@code /sys/kernel/btf/<module>}); each module is named after
     * its file. {@code vmlinux} itself, or any file named {@code vmlinux}, in {@code modules} is skipped, so a listing
     * of {@code /sys/kernel/btf} can be passed as is. Module BTF only fits the vmlinux BTF it was built against: with
     * {@code --kernel-btf} pointing at another kernel's BTF, pass no modules.
     *
     * @throws BtfException when any file is missing, unreadable or malformed (a module unloaded since it was listed
     *     shows up as a missing file)
     */
    public static KernelBtf loadWithModules(Path vmlinux, List<Path> modules) throws BtfException {
        BtfFile base = BtfFile.read(vmlinux, null);
        Map<String, KernelBtf> views = new LinkedHashMap<>();
        for (Path path : modules) {
            if (path.equals(vmlinux) || path.getFileName().toString().equals("vmlinux")) {
                continue;
            }
            String name = path.getFileName().toString();
            views.put(name, new KernelBtf(BtfFile.read(path, base), name, Map.of()));
        }
        return new KernelBtf(base, null, Collections.unmodifiableMap(views));
    }

    /** Parses BTF bytes already in memory; {@code base} is null for vmlinux, else the BTF the module splits. */
    static KernelBtf parse(String source, byte[] data, KernelBtf base, String module) throws BtfException {
        return new KernelBtf(BtfFile.parse(source, data, base == null ? null : base.btf), module, Map.of());
    }

    /** The module this BTF describes, or null for vmlinux. */
    public String moduleName() {
        return module;
    }

    /** Names of the loaded modules, in load order (empty for a module view or when loaded without modules). */
    public Set<String> modules() {
        return modules.keySet();
    }

    /** A loaded module's view: its types plus vmlinux's, in the module's id space. */
    public Optional<KernelBtf> module(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    /** One past the highest type id of this id space; ids run from 1 (0 is void). */
    public int typeCount() {
        return btf.nextId();
    }

    /**
     * The kind of type {@code id}; {@link Kind#VOID} for 0.
     *
     * @throws IllegalArgumentException for an id outside this id space (also {@link #typeName}, {@link #render})
     */
    public Kind kind(int id) {
        return btf.kind(id);
    }

    /** The first type with this name and kind, searching from id 1; empty when there is none. */
    public OptionalInt typeId(String name, Kind kind) {
        int id = find(btf, 1, name.getBytes(StandardCharsets.UTF_8), kind, kind);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The BTF name of type {@code id} ({@code sk_buff} for {@code struct sk_buff}); "" if anonymous, "void" for 0. */
    public String typeName(int id) {
        return id == 0 ? "void" : btf.name(id);
    }

    /** The C spelling of type {@code id}: {@code const struct sk_buff *}, {@code enum skb_drop_reason}, … */
    public String render(int id) {
        return renderer.render(id);
    }

    /**
     * The values of the first ENUM or ENUM64 named {@code enumName}, value to name, in declaration order. When two
     * names share a value the first wins. Unsigned 64-bit values above {@link Long#MAX_VALUE} come out negative.
     */
    public Optional<Map<Long, String>> enumValues(String enumName) {
        byte[] name = enumName.getBytes(StandardCharsets.UTF_8);
        for (KernelBtf view : searchOrder()) {
            int id = find(view.btf, searchFrom(view), name, Kind.ENUM, Kind.ENUM64);
            if (id >= 0) {
                return Optional.of(view.values(id));
            }
        }
        return Optional.empty();
    }

    private Map<Long, String> values(int id) {
        boolean signed = btf.kindFlag(id);
        boolean wide = btf.kind(id) == Kind.ENUM64;
        Map<Long, String> out = new LinkedHashMap<>();
        for (int i = 0, n = btf.vlen(id); i < n; i++) {
            long value;
            int nameOff;
            if (wide) { // struct btf_enum64 { name_off; val_lo32; val_hi32; }
                nameOff = btf.extra(id, 3 * i);
                value = Integer.toUnsignedLong(btf.extra(id, 3 * i + 1)) | (long) btf.extra(id, 3 * i + 2) << 32;
            } else { // struct btf_enum { name_off; s32 val; }, unsigned unless kind_flag says signed
                nameOff = btf.extra(id, 2 * i);
                int raw = btf.extra(id, 2 * i + 1);
                value = signed ? raw : Integer.toUnsignedLong(raw);
            }
            out.putIfAbsent(value, btf.string(nameOff));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The drop reason names of this kernel (absent before 5.17, which has no {@code enum skb_drop_reason}). */
    public DropReasons dropReasons() {
        DropReasons reasons = dropReasons;
        if (reasons == null) {
            reasons = DropReasons.of(enumValues(DropReasons.ENUM_NAME).orElse(Map.of()));
            dropReasons = reasons;
        }
        return reasons;
    }

    /**
     * The arguments of tracepoint {@code name} (without the system: {@code kfree_skb}, {@code net_dev_xmit}), from
     * the {@code btf_trace_<name>} typedef; empty when BTF has no such tracepoint.
     */
    public Optional<TracepointSignature> tracepoint(String name) {
        byte[] typedef = (TRACEPOINT_TYPEDEF_PREFIX + name).getBytes(StandardCharsets.UTF_8);
        for (KernelBtf view : searchOrder()) {
            int id = find(view.btf, searchFrom(view), typedef, Kind.TYPEDEF, Kind.TYPEDEF);
            if (id >= 0) {
                Optional<TracepointSignature> sig = view.signature(name, id);
                if (sig.isPresent()) {
                    return sig;
                }
            }
        }
        return Optional.empty();
    }

    /** typedef → PTR → FUNC_PROTO(void *__data, args…). */
    private Optional<TracepointSignature> signature(String name, int typedef) {
        int ptr = btf.sizeOrType(typedef);
        if (btf.kind(ptr) != Kind.PTR) {
            return Optional.empty();
        }
        int proto = btf.sizeOrType(ptr);
        int n = btf.vlen(proto);
        if (btf.kind(proto) != Kind.FUNC_PROTO || n == 0 || !"void *".equals(render(btf.extra(proto, 1)))) {
            return Optional.empty();
        }
        List<TracepointSignature.Param> params = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            int type = btf.extra(proto, 2 * i + 1);
            params.add(new TracepointSignature.Param(btf.string(btf.extra(proto, 2 * i)), render(type), type,
                    pointee(type)));
        }
        return Optional.of(new TracepointSignature(name, module, params));
    }

    /** The struct a (const/typedef'd) pointer type points to, or null. */
    private String pointee(int type) {
        int ptr = btf.skipModifiersAndTypedefs(type);
        if (btf.kind(ptr) != Kind.PTR) {
            return null;
        }
        int target = btf.skipModifiersAndTypedefs(btf.sizeOrType(ptr));
        Kind kind = btf.kind(target);
        boolean struct = kind == Kind.STRUCT || kind == Kind.FWD && !btf.kindFlag(target);
        return struct && !btf.name(target).isEmpty() ? btf.name(target) : null;
    }

    /**
     * Every kernel function (BTF FUNC) with a {@code struct sk_buff *} among its first five parameters, vmlinux
     * first, then each loaded module (for a module view: vmlinux's, then the module's); deduplicated by name and
     * module, first occurrence kept. Only functions the compiler did not inline everywhere have a FUNC, which is what
     * a kprobe needs anyway. A {@code struct sk_buff **} parameter ({@code __netif_receive_skb_core}) does not count.
     */
    public List<SkbFunction> skbFunctions() {
        List<SkbFunction> result = skbFunctions;
        if (result == null) {
            List<SkbFunction> found = new ArrayList<>();
            for (KernelBtf view : searchOrder()) {
                new SkbFunctionScan(view.btf).scan(searchFrom(view), view.module, found);
            }
            Set<String> seen = new LinkedHashSet<>();
            List<SkbFunction> unique = new ArrayList<>(found.size());
            for (SkbFunction f : found) {
                if (seen.add(f.name() + '\0' + f.module())) {
                    unique.add(f);
                }
            }
            result = List.copyOf(unique);
            skbFunctions = result;
        }
        return result;
    }

    /** This object's own blob, then the modules' (each searched over its own ids only). */
    private List<KernelBtf> searchOrder() {
        if (modules.isEmpty()) {
            return List.of(this);
        }
        List<KernelBtf> order = new ArrayList<>(1 + modules.size());
        order.add(this);
        order.addAll(modules.values());
        return order;
    }

    /**
     * Where a search in {@code view} starts: at 1 for this object itself (a module view then also covers vmlinux),
     * at the module's first own id for the modules searched after vmlinux.
     */
    private int searchFrom(KernelBtf view) {
        return view == this ? 1 : view.btf.firstId;
    }

    /** First id ≥ {@code from} of kind {@code a} or {@code b} named {@code name}, or -1. */
    private static int find(BtfFile btf, int from, byte[] name, Kind a, Kind b) {
        for (int id = from, end = btf.nextId(); id < end; id++) {
            Kind kind = btf.kind(id);
            if ((kind == a || kind == b) && btf.nameEquals(id, name)) {
                return id;
            }
        }
        return -1;
    }
}
