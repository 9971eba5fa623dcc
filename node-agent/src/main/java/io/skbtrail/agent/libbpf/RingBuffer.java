package io.skbtrail.agent.libbpf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a BPF ring buffer map (kernel 5.8+) through its memory mapping, with no call into native code
 * per record: the kernel and this reader share the consumer and producer positions.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (written by us), page 1 the
 * producer position, then the data area, mapped twice in a row so that a record that wraps around
 * the end reads as one piece. Each record starts with an 8-byte header: the length with a BUSY bit
 * (still being written) and a DISCARD bit, then the page offset; records are 8-byte aligned.
 *
 * <p>One thread reads; {@link #close()} unmaps. Not thread-safe.
 */
public final class RingBuffer implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final int RELEASE_EVERY = 64;

    /** Receives each record: {@code length} bytes at {@code offset} of {@code data} (little-endian). */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(ByteBuffer data, int offset, int length);
    }

    private final LibC libc = LibC.INSTANCE;
    private final int pageSize = libc.getpagesize();
    private final long size;
    private final long mask;
    private final Pointer consumerMap;
    private final Pointer producerMap;
    private final ByteBuffer consumerPage;
    private final ByteBuffer producerPage;
    private final ByteBuffer data;
    private final int epollFd;
    private final byte[] epollEvents = new byte[12];

    /** Maps the ring of {@code map} (loaded, type RINGBUF, {@code size} bytes: a power of two). */
    public RingBuffer(BpfMap map, long size) {
        this.size = size;
        this.mask = size - 1;
        int fd = map.fd();
        consumerMap = libc.mmap(null, pageSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (Pointer.nativeValue(consumerMap) == -1) {
            throw new LibBpfException("map ring buffer consumer page", Native.getLastError());
        }
        producerMap = libc.mmap(null, pageSize + 2 * size, LibC.PROT_READ, LibC.MAP_SHARED, fd, pageSize);
        if (Pointer.nativeValue(producerMap) == -1) {
            int errno = Native.getLastError();
            libc.munmap(consumerMap, pageSize);
            throw new LibBpfException("map ring buffer data", errno);
        }
        consumerPage = consumerMap.getByteBuffer(0, pageSize).order(ByteOrder.LITTLE_ENDIAN);
        producerPage = producerMap.getByteBuffer(0, pageSize).order(ByteOrder.LITTLE_ENDIAN);
        data = producerMap.getByteBuffer(pageSize, 2 * size).order(ByteOrder.LITTLE_ENDIAN);
        epollFd = libc.epoll_create1(LibC.EPOLL_CLOEXEC);
        byte[] event = new byte[12];
        ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN).putInt(0, LibC.EPOLLIN);
        if (epollFd < 0 || libc.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, event) != 0) {
            int errno = Native.getLastError();
            close();
            throw new LibBpfException("watch ring buffer", errno);
        }
    }

    /**
     * Hands every complete record to {@code handler} and frees its space.
     *
     * @return the number of records read (discarded ones excluded)
     */
    public int drain(RecordHandler handler) {
        long consumer = (long) LONG.getAcquire(consumerPage, 0);
        int records = 0;
        int sinceRelease = 0;
        boolean progressed;
        do {
            progressed = false;
            long producer = (long) LONG.getAcquire(producerPage, 0);
            while (consumer < producer) {
                int at = (int) (consumer & mask);
                int header = (int) INT.getAcquire(data, at);
                if ((header & BUSY) != 0) {
                    break;
                }
                int length = header & ~(BUSY | DISCARD);
                consumer += (length + HEADER + 7) & ~7L;
                progressed = true;
                if ((header & DISCARD) == 0) {
                    handler.onRecord(data, at + HEADER, length);
                    records++;
                }
                if (++sinceRelease == RELEASE_EVERY) {
                    LONG.setRelease(consumerPage, 0, consumer);
                    sinceRelease = 0;
                }
            }
            LONG.setRelease(consumerPage, 0, consumer);
        } while (progressed);
        return records;
    }

    /** Waits up to {@code timeoutMs} for the kernel to signal new data; false on timeout. */
    public boolean await(int timeoutMs) {
        int n = libc.epoll_wait(epollFd, epollEvents, 1, timeoutMs);
        return n > 0;
    }

    @Override
    public void close() {
        if (epollFd >= 0) {
            libc.close(epollFd);
        }
        libc.munmap(producerMap, pageSize + 2 * size);
        libc.munmap(consumerMap, pageSize);
    }
}
