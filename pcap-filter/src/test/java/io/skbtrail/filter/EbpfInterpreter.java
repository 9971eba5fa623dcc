package io.skbtrail.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Executes a generated filter subprogram the way the kernel would, for the instruction subset the translator
 * emits, and refuses what the verifier or the calling convention would not allow: unknown opcodes, backward or
 * out-of-range jumps, unreachable code, reads of registers or stack never written, stack use beyond 128 bytes,
 * scratch reads past cached_len, any other memory access, helpers other than bpf_probe_read_kernel.
 */
final class EbpfInterpreter {

    /** Where the simulated kernel keeps the packet (a direct map address, as for real skbs). */
    static final long PKT = 0xffff888000000000L;
    static final long SCRATCH = 0x00007f0000000000L;
    static final long FP = 0x00007e0000001000L;
    static final int MAX_STACK = 128;
    static final int SCRATCH_SIZE = 256;
    static final int EFAULT = 14;

    // Opcode parts.
    private static final int LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
    private static final int CALL = 0x80, EXIT = 0x90, JA = 0x00;

    private final long[] code;

    /** Checks the program statically (as the verifier's CFG and register checks would); throws if invalid. */
    EbpfInterpreter(byte[] program) {
        if (program.length == 0 || program.length % 8 != 0) {
            throw new IllegalArgumentException("program of " + program.length + " bytes");
        }
        code = new long[program.length / 8];
        ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(code);
        verify();
    }

    static int opcode(long insn) {
        return (int) (insn & 0xff);
    }

    static int dst(long insn) {
        return (int) (insn >>> 8) & 0xf;
    }

    static int src(long insn) {
        return (int) (insn >>> 12) & 0xf;
    }

    static int off(long insn) {
        return (short) (insn >>> 16);
    }

    static int imm(long insn) {
        return (int) (insn >>> 32);
    }

    static boolean isJump(long insn) {
        int cls = opcode(insn) & 7;
        int op = opcode(insn) & 0xf0;
        return (cls == JMP || cls == JMP32) && op != CALL && op != EXIT;
    }

    int length() {
        return code.length;
    }

    private static RuntimeException reject(int pc, long insn, String why) {
        return new IllegalStateException(String.format("insn %d (%016x): %s", pc, insn, why));
    }

    /** Registers read and written by an instruction, as bit sets. */
    private static int[] regUse(long insn) {
        int op = opcode(insn);
        int cls = op & 7;
        int d = 1 << dst(insn);
        int s = 1 << src(insn);
        boolean regSource = (op & 0x08) != 0;
        switch (cls) {
            case LDX:
                return new int[] {s, d};
            case ST:
                return new int[] {d, 0};
            case STX:
                return new int[] {d | s, 0};
            case ALU:
            case ALU64: {
                int aop = op & 0xf0;
                if (aop == 0xb0) {
                    return new int[] {regSource ? s : 0, d};
                }
                if (aop == 0x80 || aop == 0xd0) {
                    return new int[] {d, d};
                }
                return new int[] {d | (regSource ? s : 0), d};
            }
            default: {
                int jop = op & 0xf0;
                if (cls == JMP && jop == CALL) {
                    return new int[] {0b1110, 1}; // bpf_probe_read_kernel reads r1-r3
                }
                if (cls == JMP && jop == EXIT) {
                    return new int[] {1, 0};
                }
                if (cls == JMP && jop == JA) {
                    return new int[] {0, 0};
                }
                return new int[] {d | (regSource ? s : 0), 0};
            }
        }
    }

    private void checkOpcode(int pc, long insn) {
        int op = opcode(insn);
        int cls = op & 7;
        if (dst(insn) > 10 || src(insn) > 10) {
            throw reject(pc, insn, "bad register");
        }
        switch (cls) {
            case LDX, STX, ST -> {
                if ((op & 0xe0) != 0x60) {
                    throw reject(pc, insn, "only BPF_MEM loads and stores are expected");
                }
                if (cls != LDX && dst(insn) != 10) {
                    throw reject(pc, insn, "stores must go to the stack");
                }
                if (cls == LDX && dst(insn) == 10) {
                    throw reject(pc, insn, "r10 is read-only");
                }
            }
            case ALU, ALU64 -> {
                int aop = op & 0xf0;
                if (aop > 0xd0 || dst(insn) == 10) {
                    throw reject(pc, insn, "unknown ALU op or write to r10");
                }
                if (aop == 0xd0 && (cls != ALU || imm(insn) != 16 && imm(insn) != 32 && imm(insn) != 64)) {
                    throw reject(pc, insn, "bad byte swap");
                }
                if ((aop == 0x60 || aop == 0x70 || aop == 0xc0) && (op & 0x08) == 0
                        && (imm(insn) < 0 || imm(insn) >= (cls == ALU ? 32 : 64))) {
                    throw reject(pc, insn, "invalid shift");
                }
            }
            case JMP, JMP32 -> {
                int jop = op & 0xf0;
                if (jop > 0xd0 || cls == JMP32 && (jop == JA || jop == CALL || jop == EXIT)) {
                    throw reject(pc, insn, "unknown jump");
                }
                if (jop == CALL && (imm(insn) != 113 || src(insn) != 0 || (op & 0x08) != 0)) {
                    throw reject(pc, insn, "only bpf_probe_read_kernel (113) may be called");
                }
            }
            default -> throw reject(pc, insn, "unexpected instruction class " + cls);
        }
    }

    /** CFG and register-initialization checks; the code is forward-only so one pass in order suffices. */
    private void verify() {
        int n = code.length;
        boolean[] reached = new boolean[n];
        int[] defined = new int[n];
        reached[0] = true;
        defined[0] = 0b111110 | 1 << 10; // r1-r5 and r10
        for (int pc = 0; pc < n; pc++) {
            long insn = code[pc];
            checkOpcode(pc, insn);
            if (!reached[pc]) {
                throw reject(pc, insn, "unreachable instruction");
            }
            int[] use = regUse(insn);
            if ((use[0] & ~defined[pc]) != 0) {
                throw reject(pc, insn, "reads an uninitialized register, mask " + Integer.toBinaryString(use[0]));
            }
            int out = defined[pc] | use[1];
            int op = opcode(insn);
            if ((op & 7) == JMP && (op & 0xf0) == CALL) {
                out = out & ~0b111110 | 1;
            }
            boolean exit = (op & 7) == JMP && (op & 0xf0) == EXIT;
            boolean always = (op & 7) == JMP && (op & 0xf0) == JA;
            int[] next = exit ? new int[0]
                    : isJump(insn) ? (always ? new int[] {pc + 1 + off(insn)} : new int[] {pc + 1, pc + 1 + off(insn)})
                    : new int[] {pc + 1};
            for (int target : next) {
                if (target <= pc || target >= n) {
                    throw reject(pc, insn, "jump or fall-through to " + target + " outside (" + pc + ", " + n + ")");
                }
                defined[target] = reached[target] ? defined[target] & out : out;
                reached[target] = true;
            }
        }
    }

    /** Inputs of one call, as the tracing program would pass them. */
    record Call(byte[] kernel, int readable, int linearLen, int wireLen, int cachedLen) {

        /** The packet is readable kernel memory in full; the filter is told about linearLen bytes. */
        static Call of(byte[] packet, int linearLen, int wireLen, int cachedLen) {
            return new Call(packet, packet.length, linearLen, wireLen, cachedLen);
        }
    }

    /** Runs the subprogram; returns r0. */
    long run(Call call) {
        if (call.cachedLen() > Math.min(Math.min(call.linearLen(), SCRATCH_SIZE), call.kernel().length)) {
            throw new IllegalArgumentException("cached_len " + call.cachedLen() + " breaks the calling convention");
        }
        long[] regs = new long[11];
        boolean[] set = new boolean[11];
        regs[1] = SCRATCH;
        regs[2] = PKT;
        regs[3] = call.linearLen() & 0xffffffffL;
        regs[4] = call.wireLen() & 0xffffffffL;
        regs[5] = call.cachedLen() & 0xffffffffL;
        regs[10] = FP;
        for (int r : new int[] {1, 2, 3, 4, 5, 10}) {
            set[r] = true;
        }
        byte[] scratch = new byte[SCRATCH_SIZE];
        Arrays.fill(scratch, (byte) 0xa5); // stale bytes from an earlier packet
        System.arraycopy(call.kernel(), 0, scratch, 0, call.cachedLen());
        byte[] stack = new byte[512];
        boolean[] written = new boolean[512];
        int pc = 0;
        while (true) {
            if (pc < 0 || pc >= code.length) {
                throw new IllegalStateException("ran off the program at " + pc);
            }
            long insn = code[pc];
            int op = opcode(insn);
            int cls = op & 7;
            int d = dst(insn), s = src(insn);
            int[] use = regUse(insn);
            for (int r = 0; r <= 10; r++) {
                if ((use[0] & 1 << r) != 0 && !set[r]) {
                    throw reject(pc, insn, "r" + r + " read while unset");
                }
            }
            int next = pc + 1;
            switch (cls) {
                case LDX -> {
                    int size = size(op);
                    long addr = regs[s] + off(insn);
                    regs[d] = read(pc, insn, addr, size, scratch, call.cachedLen(), stack, written);
                    set[d] = true;
                }
                case STX, ST -> {
                    int size = size(op);
                    long addr = regs[d] + off(insn);
                    long value = cls == STX ? regs[s] : imm(insn);
                    int at = stackIndex(pc, insn, addr, size);
                    for (int i = 0; i < size; i++) {
                        stack[at + i] = (byte) (value >>> (8 * i));
                        written[at + i] = true;
                    }
                }
                case ALU, ALU64 -> {
                    regs[d] = alu(cls == ALU64, op, regs[d], (op & 0x08) != 0 ? regs[s] : imm(insn), imm(insn));
                    set[d] = true;
                }
                default -> {
                    int jop = op & 0xf0;
                    if (cls == JMP && jop == EXIT) {
                        return regs[0];
                    }
                    if (cls == JMP && jop == CALL) {
                        regs[0] = probeReadKernel(pc, insn, regs, call, stack, written);
                        set[0] = true;
                        for (int r = 1; r <= 5; r++) {
                            set[r] = false;
                            regs[r] = 0xdeadbeefL;
                        }
                    } else {
                        long b = (op & 0x08) != 0 ? regs[s] : imm(insn);
                        if (jop == JA || condition(cls == JMP32, jop, regs[d], b)) {
                            if (off(insn) < 0) {
                                throw reject(pc, insn, "backward jump");
                            }
                            next = pc + 1 + off(insn);
                        }
                    }
                }
            }
            pc = next;
        }
    }

    private static int size(int op) {
        return switch (op & 0x18) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            case 0x10 -> 1;
            default -> 8;
        };
    }

    private static int stackIndex(int pc, long insn, long addr, int size) {
        long below = FP - addr;
        if (addr >= FP || below > MAX_STACK || addr + size > FP) {
            throw reject(pc, insn, String.format("access to 0x%x outside the %d-byte stack frame", addr, MAX_STACK));
        }
        if (addr % size != 0) {
            throw reject(pc, insn, "misaligned stack access");
        }
        return (int) (512 - below);
    }

    private static long read(int pc, long insn, long addr, int size, byte[] scratch, int cachedLen, byte[] stack,
            boolean[] written) {
        byte[] memory;
        int at;
        if (addr >= SCRATCH && addr < SCRATCH + SCRATCH_SIZE + 64) {
            at = (int) (addr - SCRATCH);
            if (at + size > SCRATCH_SIZE) {
                throw reject(pc, insn, "scratch read past the map value at " + at);
            }
            if (at + size > cachedLen) {
                throw reject(pc, insn, "scratch read past cached_len " + cachedLen + " at " + at);
            }
            memory = scratch;
        } else {
            at = stackIndex(pc, insn, addr, size);
            for (int i = 0; i < size; i++) {
                if (!written[at + i]) {
                    throw reject(pc, insn, "read of an unwritten stack byte at fp" + (at + i - 512));
                }
            }
            memory = stack;
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | (memory[at + i] & 0xff);
        }
        return value;
    }

    /** bpf_probe_read_kernel(dst, size, src): copies from the simulated kernel or fails with -EFAULT. */
    private static long probeReadKernel(int pc, long insn, long[] regs, Call call, byte[] stack, boolean[] written) {
        long size = regs[2];
        if (size <= 0 || size > 8) {
            throw reject(pc, insn, "unexpected read size " + size);
        }
        int at = stackIndex(pc, insn, regs[1], 1);
        if (regs[1] + size > FP) {
            throw reject(pc, insn, "probe read overflows the stack frame");
        }
        long offset = regs[3] - PKT;
        boolean ok = Long.compareUnsigned(regs[3], PKT) >= 0 && offset + size <= call.readable();
        for (int i = 0; i < size; i++) {
            stack[at + i] = ok ? call.kernel()[(int) offset + i] : 0;
            written[at + i] = true;
        }
        return ok ? 0 : -EFAULT;
    }

    private static long alu(boolean wide, int op, long a, long b, int imm) {
        if (!wide) {
            a &= 0xffffffffL;
            b &= 0xffffffffL;
        }
        long r = switch (op & 0xf0) {
            case 0x00 -> a + b;
            case 0x10 -> a - b;
            case 0x20 -> a * b;
            case 0x30 -> b == 0 ? 0 : Long.divideUnsigned(a, b);
            case 0x40 -> a | b;
            case 0x50 -> a & b;
            case 0x60 -> a << (b & (wide ? 63 : 31));
            case 0x70 -> a >>> (b & (wide ? 63 : 31));
            case 0x80 -> -a;
            case 0x90 -> b == 0 ? a : Long.remainderUnsigned(a, b);
            case 0xa0 -> a ^ b;
            case 0xb0 -> b;
            case 0xc0 -> wide ? a >> (b & 63) : (long) ((int) a >> (b & 31));
            case 0xd0 -> swap(a, imm);
            default -> throw new IllegalStateException("alu op " + op);
        };
        return wide ? r : r & 0xffffffffL;
    }

    /** BPF_END | BPF_TO_BE on a little-endian machine. */
    private static long swap(long a, int bits) {
        return switch (bits) {
            case 16 -> Short.toUnsignedLong(Short.reverseBytes((short) a));
            case 32 -> Integer.toUnsignedLong(Integer.reverseBytes((int) a));
            default -> Long.reverseBytes(a);
        };
    }

    private static boolean condition(boolean narrow, int jop, long a, long b) {
        if (narrow) {
            a = (int) a;
            b = (int) b;
        }
        long ua = narrow ? a & 0xffffffffL : a;
        long ub = narrow ? b & 0xffffffffL : b;
        return switch (jop) {
            case 0x10 -> ua == ub;
            case 0x20 -> Long.compareUnsigned(ua, ub) > 0;
            case 0x30 -> Long.compareUnsigned(ua, ub) >= 0;
            case 0x40 -> (ua & ub) != 0;
            case 0x50 -> ua != ub;
            case 0x60 -> a > b;
            case 0x70 -> a >= b;
            case 0xa0 -> Long.compareUnsigned(ua, ub) < 0;
            case 0xb0 -> Long.compareUnsigned(ua, ub) <= 0;
            case 0xc0 -> a < b;
            case 0xd0 -> a <= b;
            default -> throw new IllegalStateException("jump op " + jop);
        };
    }
}
