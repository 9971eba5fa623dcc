package io.skbtrail.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One classic BPF instruction ({@code struct bpf_insn}).
 *
 * <p>{@link #toString(int)} renders it the way {@code tcpdump -d} does.
 *
 * @param code opcode: class | size | mode, or class | op | source
 * @param jt conditional jumps: instructions to skip when true (unsigned)
 * @param jf conditional jumps: instructions to skip when false (unsigned)
 * @param k constant operand (unsigned 32-bit in cBPF; a signed offset for {@code ja})
 */
public record CbpfInsn(short code, byte jt, byte jf, int k) {

    // Instruction classes.
    static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
    // Load sizes and modes.
    static final int W = 0x00, H = 0x08, B = 0x10;
    static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    // ALU operations (same values in eBPF).
    static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    // Jumps (JEQ, JGT, JGE and JSET have the same values in eBPF).
    static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    // Operand source; RET's A operand; MISC operations.
    static final int K = 0x00, X = 0x08, RET_A = 0x10, TAX = 0x00, TXA = 0x80;
    /** Scratch memory words M[0..15]. */
    static final int MEMWORDS = 16;

    /** Builds an instruction from unsigned values, as they read in C. */
    public static CbpfInsn of(int code, int jt, int jf, int k) {
        return new CbpfInsn((short) code, (byte) jt, (byte) jf, k);
    }

    /** Unsigned opcode. */
    public int opcode() {
        return code & 0xffff;
    }

    int cls() {
        return code & 0x07;
    }

    /** Load size in bytes for LD/LDX. */
    int loadSize() {
        return switch (code & 0x18) {
            case W -> 4;
            case H -> 2;
            case B -> 1;
            default -> throw new IllegalStateException("bad load size in " + this);
        };
    }

    int mode() {
        return code & 0xe0;
    }

    /** ALU or jump operation. */
    int op() {
        return code & 0xf0;
    }

    boolean sourceX() {
        return (code & X) != 0;
    }

    int jtOffset() {
        return jt & 0xff;
    }

    int jfOffset() {
        return jf & 0xff;
    }

    /** k as the unsigned 32-bit value it is for loads, ALU and compares. */
    long uk() {
        return k & 0xffffffffL;
    }

    /** This instruction as tcpdump -d prints it when it sits at index {@code pc}. */
    public String toString(int pc) {
        String[] parts = render(pc);
        if (parts.length == 2) {
            return String.format("(%03d) %-8s %s", pc, parts[0], parts[1]);
        }
        return String.format("(%03d) %-8s %-16s jt %d\tjf %d", pc, parts[0], parts[1],
                pc + 1 + jtOffset(), pc + 1 + jfOffset());
    }

    /** Mnemonic and operand, jump targets relative ({@code jt +2 jf +0}), without the index column. */
    @Override
    public String toString() {
        String[] parts = render(-1);
        String text = parts[0] + " " + parts[1];
        return parts.length == 2 ? text.strip() : text + " jt +" + jtOffset() + " jf +" + jfOffset();
    }

    /** A whole program, one {@code tcpdump -d} line per instruction, each line ending in a newline. */
    public static String disassemble(List<CbpfInsn> program) {
        StringBuilder text = new StringBuilder();
        for (int pc = 0; pc < program.size(); pc++) {
            text.append(program.get(pc).toString(pc)).append('\n');
        }
        return text.toString();
    }

    /** {mnemonic, operand} or, for conditional jumps, {mnemonic, operand, ""}. */
    private String[] render(int pc) {
        String size = switch (code & 0x18) {
            case H -> "h";
            case B -> "b";
            default -> "";
        };
        String hex = "#0x" + Integer.toHexString(k);
        return switch (cls()) {
            case LD -> switch (mode()) {
                case IMM -> new String[] {"ld", hex};
                case ABS -> new String[] {"ld" + size, "[" + k + "]"};
                case IND -> new String[] {"ld" + size, "[x + " + k + "]"};
                case MEM -> new String[] {"ld", "M[" + k + "]"};
                case LEN -> new String[] {"ld", "#pktlen"};
                default -> unknown();
            };
            case LDX -> switch (mode()) {
                case IMM -> new String[] {"ldx", hex};
                case MEM -> new String[] {"ldx", "M[" + k + "]"};
                case LEN -> new String[] {"ldx", "#pktlen"};
                case MSH -> new String[] {"ldxb", "4*([" + k + "]&0xf)"};
                default -> unknown();
            };
            case ST -> new String[] {"st", "M[" + k + "]"};
            case STX -> new String[] {"stx", "M[" + k + "]"};
            case ALU -> renderAlu();
            case JMP -> renderJump(pc, hex);
            case RET -> (code & 0x18) == RET_A ? new String[] {"ret", ""} : new String[] {"ret", "#" + k};
            default -> switch (code & 0xf8) {
                case TAX -> new String[] {"tax", ""};
                case TXA -> new String[] {"txa", ""};
                default -> unknown();
            };
        };
    }

    private String[] renderAlu() {
        String name = switch (op()) {
            case ADD -> "add";
            case SUB -> "sub";
            case MUL -> "mul";
            case DIV -> "div";
            case OR -> "or";
            case AND -> "and";
            case LSH -> "lsh";
            case RSH -> "rsh";
            case NEG -> "neg";
            case MOD -> "mod";
            case XOR -> "xor";
            default -> null;
        };
        if (name == null) {
            return unknown();
        }
        if (op() == NEG) {
            return new String[] {name, ""};
        }
        if (sourceX()) {
            return new String[] {name, "x"};
        }
        // Bitwise operands read better in hex; tcpdump prints arithmetic ones in decimal.
        boolean bitwise = op() == OR || op() == AND || op() == XOR;
        return new String[] {name, bitwise ? "#0x" + Integer.toHexString(k) : "#" + k};
    }

    private String[] renderJump(int pc, String hex) {
        String name = switch (op()) {
            case JA -> "ja";
            case JEQ -> "jeq";
            case JGT -> "jgt";
            case JGE -> "jge";
            case JSET -> "jset";
            default -> null;
        };
        if (name == null) {
            return unknown();
        }
        if (op() == JA) {
            return new String[] {name, pc < 0 ? (k < 0 ? "" : "+") + k : String.valueOf(pc + 1 + k)};
        }
        return new String[] {name, sourceX() ? "x" : hex, ""};
    }

    private String[] unknown() {
        return new String[] {"unimp", "0x" + Integer.toHexString(opcode())};
    }

    /** Decodes raw {@code struct bpf_insn} bytes in native byte order, as libpcap hands them out. */
    static List<CbpfInsn> decode(byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        List<CbpfInsn> program = new ArrayList<>(raw.length / 8);
        while (in.remaining() >= 8) {
            program.add(new CbpfInsn(in.getShort(), in.get(), in.get(), in.getInt()));
        }
        return List.copyOf(program);
    }

    /** The inverse of {@link #decode}. */
    static byte[] encode(List<CbpfInsn> program) {
        ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
        for (CbpfInsn insn : program) {
            out.putShort(insn.code).put(insn.jt).put(insn.jf).putInt(insn.k);
        }
        return out.array();
    }
}
