package io.skbtrail.agent.libbpf;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** Raw bindings to the system libbpf ({@code libbpf.so.1}); C names kept. Use the wrappers instead. */
public interface LibBpf extends Library {

    /** The bound library, or an {@link UnsatisfiedLinkError} explaining how to install it. */
    static LibBpf get() {
        return Holder.INSTANCE;
    }

    int libbpf_major_version();

    int libbpf_minor_version();

    String libbpf_version_string();

    int libbpf_strerror(int err, byte[] buf, long size);

    Pointer libbpf_set_print(PrintFn fn);

    /**
     * {@code int (*)(enum libbpf_print_level, const char *fmt, va_list)}. The format stays a pointer: libbpf
     * prints thousands of debug lines per object loaded, and making a Java string of each costs more than
     * the rest of the callback.
     */
    interface PrintFn extends Callback {
        int invoke(int level, Pointer format, Pointer args);
    }

    Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    boolean bpf_program__autoload(Pointer prog);

    int bpf_program__fd(Pointer prog);

    Pointer bpf_program__attach(Pointer prog);

    Pointer bpf_program__attach_kprobe(Pointer prog, boolean retprobe, String function);

    Pointer bpf_program__attach_kprobe_multi_opts(Pointer prog, String pattern, Pointer opts);

    int bpf_program__set_attach_target(Pointer prog, int attachProgFd, String attachFunction);

    int bpf_link__destroy(Pointer link);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    int bpf_map__fd(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map_update_elem(int fd, byte[] key, byte[] value, long flags);

    int bpf_map_lookup_elem(int fd, byte[] key, byte[] value);

    int bpf_map_delete_elem(int fd, byte[] key);

    int bpf_map_get_next_key(int fd, byte[] key, byte[] nextKey);

    int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLen);

    int bpf_enable_stats(int type);

    int bpf_prog_get_next_id(int startId, Pointer nextId);

    int bpf_prog_get_fd_by_id(int id);

    int bpf_map__reuse_fd(Pointer map, int fd);

    final class Holder {
        private Holder() {}

        static final LibBpf INSTANCE = load();

        private static LibBpf load() {
            try {
                return Native.load("bpf", LibBpf.class);
            } catch (UnsatisfiedLinkError e) {
                try {
                    return Native.load("libbpf.so.1", LibBpf.class);
                } catch (UnsatisfiedLinkError e2) {
                    throw new UnsatisfiedLinkError(
                            "libbpf not found: install libbpf 1.1 or newer (Debian: apt-get install libbpf1)");
                }
            }
        }
    }
}
