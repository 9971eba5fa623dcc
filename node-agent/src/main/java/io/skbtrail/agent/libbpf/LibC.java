package io.skbtrail.agent.libbpf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the agent needs: mmap for the ring buffer, epoll to wait on it, identity. */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 1;
    int EINTR = 4;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int epoll_create1(int flags);

    int epoll_ctl(int epfd, int op, int fd, byte[] event);

    int epoll_wait(int epfd, byte[] events, int maxEvents, int timeoutMs);

    int close(int fd);

    int geteuid();

    int getpagesize();

    int vsnprintf(byte[] buf, long size, Pointer format, Pointer args);

    String strerror(int errno);

    long syscall(long number, Object... args);

    int RLIMIT_NOFILE = 7;

    int getrlimit(int resource, long[] limit);

    int setrlimit(int resource, long[] limit);
}
