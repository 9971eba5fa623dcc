package io.skbtrail.agent.libbpf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** One map of a {@link BpfObject}. Size it before load; read and write it after. */
public final class BpfMap {
    /** bpf_map_update_elem flag: create or replace. */
    public static final long BPF_ANY = 0;

    private final LibBpf lib = LibBpf.get();
    private final Pointer map;
    private final String name;

    BpfMap(Pointer map, String name) {
        this.map = map;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void setMaxEntries(int maxEntries) {
        int rc = lib.bpf_map__set_max_entries(map, maxEntries);
        if (rc != 0) {
            throw new LibBpfException("size map " + name + " to " + maxEntries, -rc);
        }
    }

    /** Makes this (not yet loaded) map use an existing map instead of creating one: objects share it. */
    public void reuse(BpfMap existing) {
        int rc = lib.bpf_map__reuse_fd(map, existing.fd());
        if (rc != 0) {
            throw new LibBpfException("share map " + name, -rc);
        }
    }

    public int fd() {
        return lib.bpf_map__fd(map);
    }

    public int valueSize() {
        return lib.bpf_map__value_size(map);
    }

    public void update(byte[] key, byte[] value) {
        if (lib.bpf_map_update_elem(fd(), key, value, BPF_ANY) != 0) {
            throw new LibBpfException("update map " + name, Native.getLastError());
        }
    }

    /** Copies the value of {@code key} into {@code value}; false if there is none. */
    public boolean lookup(byte[] key, byte[] value) {
        return lib.bpf_map_lookup_elem(fd(), key, value) == 0;
    }

    /** Number of keys, by walking them (for accounting, not for a hot path). */
    public long countKeys(int keySize) {
        long count = 0;
        byte[] prev = null;
        byte[] next = new byte[keySize];
        while (lib.bpf_map_get_next_key(fd(), prev, next) == 0) {
            count++;
            prev = next.clone();
        }
        return count;
    }
}
