package io.skbtrail.agent.ksym;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's text symbols from {@code /proc/kallsyms}, sorted by address, for address to symbol lookups.
 *
 * <p>Only text is kept: {@code t}/{@code T}/{@code w}/{@code W} lines, of vmlinux, modules and BPF programs. Without
 * permission to see kernel addresses ({@code kernel.kptr_restrict}, missing {@code CAP_SYSLOG}) the kernel prints
 * every address as 0; the table is then {@linkplain #isRestricted() restricted} and resolves nothing.
 *
 * <p>The table is a snapshot: modules and BPF programs come and go, so the agent {@linkplain #reload() reloads} it
 * when they do. Instances are immutable and safe to share between threads.
 */
public final class Kallsyms {
    /** The running kernel's symbol table. */
    public static final Path PROC_KALLSYMS = Path.of("/proc/kallsyms");

    private final Path source;
    private final long[] addresses;
    private final int[] nameOffsets;
    private final byte[] names;
    private final int[] moduleIds;
    private final String[] moduleNames;
    private final boolean restricted;
    private volatile SymbolNameIndex byName;

    private Kallsyms(Path source, KallsymsParser.Table table) {
        this.source = source;
        this.addresses = table.addresses();
        this.nameOffsets = table.nameOffsets();
        this.names = table.names();
        this.moduleIds = table.moduleIds();
        this.moduleNames = table.moduleNames();
        this.restricted = table.restricted();
    }

    /** Loads {@link #PROC_KALLSYMS}. */
    public static Kallsyms load() throws IOException {
        return load(PROC_KALLSYMS);
    }

    /**
     * Loads a kallsyms file.
     *
     * @throws IOException {@code read kallsyms FILE: …} when the file is missing, unreadable or not kallsyms
     */
    public static Kallsyms load(Path path) throws IOException {
        String what = "read kallsyms " + path + ": ";
        byte[] data;
        try (InputStream in = Files.newInputStream(path)) {
            // procfs reports size 0, so read to the end rather than trusting the file size.
            data = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new IOException(what + "no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(what + "permission denied", e);
        } catch (IOException e) {
            throw new IOException(what + e.getMessage(), e);
        }
        try {
            return new Kallsyms(path, KallsymsParser.parse(data, data.length));
        } catch (IllegalArgumentException e) {
            throw new IOException(what + e.getMessage(), e);
        }
    }

    /** A fresh snapshot of the same file (after modules or BPF programs were loaded or removed). */
    public Kallsyms reload() throws IOException {
        return load(source);
    }

    /** The file this table was read from. */
    public Path source() {
        return source;
    }

    /** Number of text symbols kept (0 when restricted). */
    public int size() {
        return addresses.length;
    }

    /** True when the kernel hid every address (printed as 0): no lookup can succeed. */
    public boolean isRestricted() {
        return restricted;
    }

    /** Why lookups fail, for the user, when {@linkplain #isRestricted() restricted}. */
    public Optional<String> restriction() {
        return restricted
                ? Optional.of("read kallsyms " + source + ": every address is 0 (kernel.kptr_restrict hides them; "
                        + "run as root with CAP_SYSLOG, or lower sysctl kernel.kptr_restrict); "
                        + "symbols will print as bare addresses")
                : Optional.empty();
    }

    /** The name of the symbol starting exactly at {@code address} (the first listed, when aliases share it). */
    public Optional<String> exact(long address) {
        int i = floor(address);
        return i >= 0 && addresses[i] == address ? Optional.of(name(i)) : Optional.empty();
    }

    /**
     * The symbol at or below {@code address}, i.e. the function containing it if it is kernel text; empty when
     * {@code address} is below every symbol. kallsyms has no sizes, so an address past the end of the last function
     * of a region still resolves to that function.
     */
    public Optional<Symbol> nearest(long address) {
        int i = floor(address);
        return i < 0 ? Optional.empty() : Optional.of(symbol(i));
    }

    /** {@code name+0x1f}, {@code name} when exact, {@code name+0x1f [module]} in modules, {@code 0x…} if unknown. */
    public String describe(long address) {
        int i = floor(address);
        return i < 0 ? "0x" + Long.toHexString(address) : symbol(i).describe(address);
    }

    /**
     * Start addresses of every text symbol named {@code name}, ascending; several for static functions that share a
     * name, empty when none (or when restricted).
     */
    public List<Long> addressesOf(String name) {
        SymbolNameIndex index = byName;
        if (index == null) {
            index = new SymbolNameIndex(names, nameOffsets);
            byName = index;
        }
        int[] found = index.lookup(name.getBytes(StandardCharsets.UTF_8));
        List<Long> out = new ArrayList<>(found.length);
        for (int i : found) {
            out.add(addresses[i]);
        }
        return out;
    }

    /** Index of the first symbol with the greatest address ≤ {@code address} (unsigned), or -1. */
    private int floor(long address) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        while (found > 0 && addresses[found - 1] == addresses[found]) {
            found--; // aliases (_stext, _text, …): the first listed wins
        }
        return found;
    }

    private Symbol symbol(int i) {
        return new Symbol(name(i), addresses[i], moduleIds[i] < 0 ? null : moduleNames[moduleIds[i]]);
    }

    private String name(int i) {
        int start = nameOffsets[i];
        int end = start;
        while (names[end] != 0) {
            end++;
        }
        return new String(names, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Kallsyms[" + source + ", " + (restricted ? "restricted" : addresses.length + " text symbols") + "]";
    }
}
