//! The opcode table: the bytecode's specification (DESIGN.md decision 1). In: nothing. Out:
//! `Opcode` with explicit discriminants, each instruction's operand layout and stack effect, and
//! the one encoder and decoder of instructions used by codegen, verifier, VM and disassembler.
//!
//! Encoding. One opcode byte, then its operands in order:
//! - `u`: unsigned LEB128, at most 5 bytes, value < 2^32, no overlong (redundant 0x80) bytes;
//! - `i`: zigzag LEB128 of an i64 (only LOAD_SMALL_INT; the value must be a small int);
//! - `b`: one byte (an operator kind);
//! - `j`: u16 little-endian absolute jump target, an instruction boundary of the same code.
//!
//! Stack notation `[a, b] -> [c]`: top of stack is rightmost. `NULL` is `Value::NULL`.
//! Exceptions: a code object has an exception table (`format::ExcEntry`). When an instruction at
//! offset `o` raises and an entry with `start <= o < end` exists (the innermost is listed first),
//! the VM truncates the operand stack to `depth`, pushes the exception and jumps to `handler`.
//! Check points (DESIGN.md decision 10): every instruction whose flow is `Jump` or `Branch`.

/// Operand layout of an instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Layout {
    /// No operand.
    None,
    /// One varuint.
    U,
    /// Two varuints.
    UU,
    /// One zigzag varint (a small int).
    I,
    /// One byte.
    B,
    /// One jump target.
    J,
}

/// How control leaves an instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Flow {
    /// Continues with the next instruction.
    Next,
    /// Always jumps to its target.
    Jump,
    /// Either continues or jumps to its target.
    Branch,
    /// Leaves the frame or unwinds (return, raise).
    Exit,
}

macro_rules! opcodes {
    ($($(#[doc = $doc:literal])* $name:ident = $byte:literal, $layout:ident, $flow:ident;)*) => {
        /// A bytecode instruction's opcode. The discriminant is the byte in the image.
        #[expect(non_camel_case_types, reason = "mnemonics as MicroPython and `frost dis` spell them")]
        #[repr(u8)]
        #[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
        pub enum Opcode {
            $($(#[doc = $doc])* $name = $byte,)*
        }

        impl Opcode {
            /// The opcode for a byte, or `None` for an unassigned byte.
            pub const fn from_u8(byte: u8) -> Option<Opcode> {
                match byte {
                    $($byte => Some(Opcode::$name),)*
                    _ => None,
                }
            }

            /// The mnemonic, as `frost dis` prints it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Opcode::$name => stringify!($name),)*
                }
            }

            /// The operand layout.
            pub const fn layout(self) -> Layout {
                match self {
                    $(Opcode::$name => Layout::$layout,)*
                }
            }

            /// How control leaves this instruction.
            pub const fn flow(self) -> Flow {
                match self {
                    $(Opcode::$name => Flow::$flow,)*
                }
            }

            /// Every opcode, in byte order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];
        }
    };
}

opcodes! {
    /// Stack: [v] -> []
    POP_TOP = 0x01, None, Next;
    /// Stack: [v] -> [v, v]
    DUP_TOP = 0x02, None, Next;
    /// Stack: [a, b] -> [a, b, a, b]
    DUP_TOP_TWO = 0x03, None, Next;
    /// Stack: [a, b] -> [b, a]
    ROT_TWO = 0x04, None, Next;
    /// Stack: [a, b, c] -> [c, a, b]
    ROT_THREE = 0x05, None, Next;
    /// Operand: u n >= 1. Stack: [x, a2 .. an] -> [x, a2 .. an, x] (copies the n-th item;
    /// 1 is the top).
    COPY = 0x06, U, Next;
    /// Operand: u n >= 2. Stack: [x, a2 .. an-1, y] -> [y, a2 .. an-1, x] (swaps the top with
    /// the n-th item).
    SWAP = 0x07, U, Next;

    /// Operand: u const_idx. Stack: [] -> [const]
    LOAD_CONST = 0x10, U, Next;
    /// Operand: i value (a small int). Stack: [] -> [int]
    LOAD_SMALL_INT = 0x11, I, Next;
    /// Stack: [] -> [None]
    LOAD_NONE = 0x12, None, Next;
    /// Stack: [] -> [True]
    LOAD_TRUE = 0x13, None, Next;
    /// Stack: [] -> [False]
    LOAD_FALSE = 0x14, None, Next;
    /// Stack: [] -> [AssertionError] (the built-in type, whatever the name is bound to).
    LOAD_ASSERTION_ERROR = 0x15, None, Next;

    /// Operand: u local_idx. Stack: [] -> [v]. Unbound: UnboundLocalError.
    LOAD_FAST = 0x20, U, Next;
    /// Operand: u local_idx. Stack: [v] -> []
    STORE_FAST = 0x21, U, Next;
    /// Operand: u local_idx. Stack: [] -> []. Unbound: UnboundLocalError.
    DELETE_FAST = 0x22, U, Next;
    /// Operand: u name_idx. Stack: [] -> [v]. Looks in locals (the module dict at module level),
    /// then globals, then builtins; NameError when absent.
    LOAD_NAME = 0x23, U, Next;
    /// Operand: u name_idx. Stack: [v] -> []. Stores in the current namespace.
    STORE_NAME = 0x24, U, Next;
    /// Operand: u name_idx. Stack: [] -> []. NameError when absent.
    DELETE_NAME = 0x25, U, Next;
    /// Operand: u name_idx. Stack: [] -> [v]. Globals, then builtins; NameError when absent.
    LOAD_GLOBAL = 0x26, U, Next;
    /// Operand: u name_idx. Stack: [v] -> []
    STORE_GLOBAL = 0x27, U, Next;
    /// Operand: u name_idx. Stack: [] -> []. NameError when absent.
    DELETE_GLOBAL = 0x28, U, Next;
    /// Operand: u name_idx. Stack: [obj] -> [obj.name]
    LOAD_ATTR = 0x29, U, Next;
    /// Operand: u name_idx. Stack: [v, obj] -> []   (obj.name = v)
    STORE_ATTR = 0x2A, U, Next;
    /// Operand: u name_idx. Stack: [obj] -> []
    DELETE_ATTR = 0x2B, U, Next;
    /// Operand: u name_idx. Stack: [obj] -> [callable, self_or_NULL]. Avoids a bound method.
    LOAD_METHOD = 0x2C, U, Next;
    /// Operand: u deref_idx (cells, then free variables). Stack: [] -> [cell contents].
    /// Empty cell: NameError (free variable) or UnboundLocalError (own cell), CPython's texts.
    LOAD_DEREF = 0x2D, U, Next;
    /// Operand: u deref_idx. Stack: [v] -> []
    STORE_DEREF = 0x2E, U, Next;
    /// Operand: u deref_idx. Stack: [] -> []. Empty cell: as LOAD_DEREF.
    DELETE_DEREF = 0x2F, U, Next;
    /// Operand: u deref_idx. Stack: [] -> [cell] (the cell itself, for a closure tuple).
    LOAD_CLOSURE = 0x33, U, Next;
    /// Operand: u deref_idx. Class bodies only: Stack: [] -> [v], from the class namespace when
    /// it holds the free variable's name, else from the cell.
    LOAD_CLASSDEREF = 0x34, U, Next;

    /// Stack: [obj, key] -> [obj[key]]
    BINARY_SUBSCR = 0x30, None, Next;
    /// Stack: [v, obj, key] -> []   (obj[key] = v)
    STORE_SUBSCR = 0x31, None, Next;
    /// Stack: [obj, key] -> []
    DELETE_SUBSCR = 0x32, None, Next;

    /// Operand: b `UnaryOp`. Stack: [v] -> [op v]
    UNARY_OP = 0x38, B, Next;
    /// Operand: b `BinaryOp`. Stack: [a, b] -> [a op b]
    BINARY_OP = 0x39, B, Next;
    /// Operand: b `BinaryOp`. Stack: [a, b] -> [a op= b] (in place where the type supports it).
    INPLACE_OP = 0x3A, B, Next;
    /// Operand: b `CompareOp`. Stack: [a, b] -> [a op b]
    COMPARE_OP = 0x3B, B, Next;

    /// Operand: u n. Stack: [v1 .. vn] -> [(v1, .., vn)]
    BUILD_TUPLE = 0x40, U, Next;
    /// Operand: u n. Stack: [v1 .. vn] -> [[v1, .., vn]]
    BUILD_LIST = 0x41, U, Next;
    /// Operand: u n pairs. Stack: [k1, v1 .. kn, vn] -> [{k1: v1, ..}]
    BUILD_MAP = 0x42, U, Next;
    /// Operand: u n. Stack: [seq] -> [vn .. v1] (v1 on top, ready for the first store).
    /// ValueError when seq does not have exactly n items.
    UNPACK_SEQUENCE = 0x43, U, Next;
    /// Operand: u before | after << 8 (each < 256). Stack: [seq] -> [a_after .. a1, list,
    /// b_before .. b1]: `b1, .., *list, .., a1 = seq`, b1 on top. ValueError when seq is short.
    UNPACK_EX = 0x44, U, Next;
    /// Operand: u n. Stack: [v1 .. vn] -> [{v1, .., vn}]
    BUILD_SET = 0x45, U, Next;
    /// Operand: b argc (2 or 3). Stack: [start, stop] or [start, stop, step] -> [slice]
    BUILD_SLICE = 0x46, B, Next;
    /// Operand: u i >= 1. Stack: [list, x1 .. x(i-1), v] -> [list, x1 .. x(i-1)]: appends v to
    /// the list i items below it.
    LIST_APPEND = 0x47, U, Next;
    /// Operand: u i >= 1. As LIST_APPEND for a set.
    SET_ADD = 0x48, U, Next;
    /// Operand: u i >= 1. Stack: [dict, x1 .. x(i-1), k, v] -> [dict, x1 .. x(i-1)]: dict[k] = v.
    MAP_ADD = 0x49, U, Next;
    /// Operand: u i >= 1. Stack: [list, x1 .. x(i-1), iterable] -> [list, x1 .. x(i-1)]: extends.
    LIST_EXTEND = 0x4A, U, Next;
    /// Operand: u i >= 1. As LIST_EXTEND for a set.
    SET_UPDATE = 0x4B, U, Next;
    /// Operand: u i >= 1. Stack: [dict, .., mapping] -> [dict, ..]: dict.update(mapping)
    /// (TypeError "'X' object is not a mapping").
    DICT_UPDATE = 0x4C, U, Next;
    /// Operand: u i >= 1. As DICT_UPDATE for a call's `**kwargs`: a repeated key is TypeError
    /// "f() got multiple values for keyword argument 'k'", a non-str key TypeError.
    DICT_MERGE = 0x4D, U, Next;
    /// Stack: [list] -> [tuple]
    LIST_TO_TUPLE = 0x4E, None, Next;
    /// Operand: b flags: bits 0-1 conversion (0 none, 1 `!s`, 2 `!r`, 3 `!a`), bit 2 a format
    /// spec is on the stack. Stack: [v, spec?] -> [format(conversion(v), spec)]
    FORMAT_VALUE = 0x4F, B, Next;
    /// Operand: u n. Stack: [s1 .. sn] -> [s1 + .. + sn] (all str).
    BUILD_STRING = 0x59, U, Next;

    /// Operand: j target. Stack: [] -> []
    JUMP = 0x50, J, Jump;
    /// Operand: j target. Stack: [v] -> []; jumps when v is false.
    POP_JUMP_IF_FALSE = 0x51, J, Branch;
    /// Operand: j target. Stack: [v] -> []; jumps when v is true.
    POP_JUMP_IF_TRUE = 0x52, J, Branch;
    /// Operand: j target. Stack: [v] -> [v] and jumps when v is false, else [v] -> [].
    JUMP_IF_FALSE_OR_POP = 0x53, J, Branch;
    /// Operand: j target. Stack: [v] -> [v] and jumps when v is true, else [v] -> [].
    JUMP_IF_TRUE_OR_POP = 0x54, J, Branch;
    /// Stack: [iterable] -> [it_a, it_b]. The iterator takes two slots so that iterating a
    /// tuple/list/str/bytes/range needs no allocation (sequence and index); for other iterables
    /// it_a is the iterator object and it_b is NULL.
    GET_ITER = 0x55, None, Next;
    /// Operand: j target. Stack: [it_a, it_b] -> [it_a, it_b', v]; when exhausted,
    /// [it_a, it_b] -> [] and jumps.
    FOR_ITER = 0x56, J, Branch;
    /// Operand: b argc (1..=3). Stack: [args of range()] -> [cur, stop, step]. For
    /// `for x in range(..)`, compiled without a range object (as MicroPython does).
    /// TypeError for non-ints, ValueError for a zero step.
    GET_RANGE = 0x57, B, Next;
    /// Operand: j target. Stack: [cur, stop, step] -> [cur + step, stop, step, cur] while cur
    /// has not reached stop; otherwise [cur, stop, step] -> [] and jumps.
    FOR_RANGE = 0x58, J, Branch;

    /// Operands: u code_idx, u flags. Stack: [defaults?, kwdefaults?, closure?] -> [function].
    /// flags bit 0: a tuple of defaults for the last positional parameters; bit 1: a dict of
    /// keyword-only defaults; bit 2: a tuple of cells, one per free variable of the code.
    MAKE_FUNCTION = 0x60, UU, Next;
    /// Operand: u n positional. Stack: [f, a1 .. an] -> [result]
    CALL = 0x61, U, Next;
    /// Operands: u n positional, u const_idx of a tuple of k keyword names.
    /// Stack: [f, a1 .. an, kv1 .. kvk] -> [result]
    CALL_KW = 0x62, UU, Next;
    /// Operand: u n positional. Stack: [f, self_or_NULL, a1 .. an] -> [result]
    CALL_METHOD = 0x63, U, Next;
    /// Operands: u n positional, u const_idx of a tuple of k keyword names.
    /// Stack: [f, self_or_NULL, a1 .. an, kv1 .. kvk] -> [result]
    CALL_METHOD_KW = 0x64, UU, Next;
    /// Stack: [v] -> (frame returns v). In a generator: StopIteration(v) to the consumer.
    RETURN_VALUE = 0x65, None, Exit;
    /// Operand: b flags (bit 0: a kwargs mapping is present). Stack: [f, args, kwargs?] ->
    /// [result]. args is a tuple or list (codegen builds it); kwargs a dict (DICT_MERGE built).
    CALL_EX = 0x66, B, Next;
    /// Stack: [] -> [__build_class__]. Called as `__build_class__(body_function, name, *bases,
    /// **keywords)`: runs the body (CODE_CLASS_BODY) with a fresh namespace and makes the class.
    LOAD_BUILD_CLASS = 0x67, None, Next;
    /// Generators only. Stack: [v] -> [sent]: suspends, handing v to the consumer; resumes
    /// with the value sent (None for next()), or raises the exception thrown in.
    YIELD_VALUE = 0x68, None, Next;
    /// Generators only. Stack: [iter, v] -> [result]. Sends v into iter (next() when v is
    /// None, and for non-generators); if iter yields x, suspends handing x out and, on resume,
    /// executes this instruction again with the sent value as v; when iter finishes
    /// (StopIteration), pushes its value. throw()/close() are delegated to iter.
    YIELD_FROM = 0x69, None, Next;
    /// Stack: [iterable] -> [iter]: iter(iterable), except that a generator or coroutine is
    /// kept as is.
    GET_YIELD_FROM_ITER = 0x6A, None, Next;
    /// Stack: [obj] -> [iter]: a coroutine as is, else `obj.__await__()` (TypeError:
    /// "object X can't be used in 'await' expression").
    GET_AWAITABLE = 0x6B, None, Next;
    /// Stack: [obj] -> [aiter]: `obj.__aiter__()`.
    GET_AITER = 0x6C, None, Next;
    /// Stack: [aiter] -> [aiter, awaitable]: the awaitable iterator of `aiter.__anext__()`.
    /// When that raises, aiter is still on the stack (the verifier relies on it).
    GET_ANEXT = 0x6D, None, Next;
    /// Exception handler of `async for`. Stack: [aiter, exc] -> []: when exc is
    /// StopAsyncIteration the loop ends (continue after this instruction); else re-raise exc.
    END_ASYNC_FOR = 0x6E, None, Next;

    /// Operand: b form. 0: re-raise the exception being handled (RuntimeError: "No active
    /// exception to reraise" when none); 1: [exc] -> raise exc; 2: [exc, cause] -> raise exc from
    /// cause. exc may be a class (instantiated with no arguments) or an instance.
    RAISE = 0x70, B, Exit;
    /// Stack: [exc] -> (unwinds with exc, adding no traceback entry).
    RERAISE = 0x71, None, Exit;
    /// Stack: [exc] -> [prev, exc]; exc becomes the exception being handled, prev is the one
    /// handled before (or None).
    PUSH_EXC_INFO = 0x72, None, Next;
    /// Stack: [prev] -> []; prev becomes the exception being handled again.
    POP_EXCEPT = 0x73, None, Next;
    /// Stack: [exc, type] -> [exc, bool]. type may be a class or a tuple of classes;
    /// TypeError when it is neither.
    CHECK_EXC_MATCH = 0x74, None, Next;
    /// Stack: [mgr] -> [exit, enter_result]: exit is the bound `mgr.__exit__`, enter_result
    /// what `mgr.__enter__()` returned. TypeError when mgr lacks either (CPython 3.11: "'X'
    /// object does not support the context manager protocol").
    BEFORE_WITH = 0x75, None, Next;
    /// Stack: [mgr] -> [aexit, awaitable]: aexit is the bound `mgr.__aexit__`, awaitable the
    /// awaitable iterator of `mgr.__aenter__()`.
    BEFORE_ASYNC_WITH = 0x76, None, Next;
    /// Stack: [exit, prev, exc] -> [exit, prev, exc, result]: result = exit(type(exc), exc,
    /// traceback-or-None). The handler then suppresses exc when result is true. When exit
    /// raises, the three operands are still on the stack (the verifier relies on it).
    WITH_EXCEPT_START = 0x77, None, Next;

    /// Operands: u name_idx (dotted name), u level (0 absolute). Stack: [fromlist] -> [module].
    /// fromlist is None for `import a.b` (pushes the top package `a`) or a tuple of names for
    /// `from a.b import x` (pushes `a.b`).
    IMPORT_NAME = 0x80, UU, Next;
    /// Operand: u name_idx. Stack: [module] -> [module, module.name]; ImportError when absent.
    IMPORT_FROM = 0x81, U, Next;
    /// Stack: [module] -> []: binds every public name of module (its `__all__` when defined,
    /// else names not starting with `_`) in the current namespace. Module level only.
    IMPORT_STAR = 0x82, None, Next;
}

/// The operands of a decoded instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Args {
    None,
    /// One varuint, one byte, or a jump target.
    One(u32),
    Two(u32, u32),
    Int(i64),
}

/// A decoded instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Instr {
    pub op: Opcode,
    pub args: Args,
}

/// Why bytes are not an instruction.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum DecodeError {
    /// The opcode byte is not assigned.
    UnknownOpcode(u8),
    /// The code ends inside the instruction.
    Truncated,
    /// A varuint is overlong, or does not fit 32 bits (or a varint not 64).
    BadVarint,
}

impl Instr {
    pub const fn new(op: Opcode, args: Args) -> Instr {
        Instr { op, args }
    }

    /// The first operand (a varuint, byte or jump target); 0 when there is none.
    pub fn a(&self) -> u32 {
        match self.args {
            Args::One(a) | Args::Two(a, _) => a,
            Args::None | Args::Int(_) => 0,
        }
    }

    /// The second varuint operand; 0 when there is none.
    pub fn b(&self) -> u32 {
        match self.args {
            Args::Two(_, b) => b,
            _ => 0,
        }
    }

    /// The jump target, for instructions whose flow is `Jump` or `Branch`.
    pub fn target(&self) -> Option<u32> {
        match self.op.flow() {
            Flow::Jump | Flow::Branch => Some(self.a()),
            Flow::Next | Flow::Exit => None,
        }
    }

    /// Decodes the instruction at `pc`, returning it and the offset of the next one.
    #[inline]
    pub fn decode(code: &[u8], pc: usize) -> Result<(Instr, usize), DecodeError> {
        let byte = *code.get(pc).ok_or(DecodeError::Truncated)?;
        let op = Opcode::from_u8(byte).ok_or(DecodeError::UnknownOpcode(byte))?;
        let mut at = pc + 1;
        let args = match op.layout() {
            Layout::None => Args::None,
            Layout::U => Args::One(read_varuint(code, &mut at)?),
            Layout::UU => {
                let a = read_varuint(code, &mut at)?;
                Args::Two(a, read_varuint(code, &mut at)?)
            }
            Layout::I => Args::Int(read_varint(code, &mut at)?),
            Layout::B => {
                let b = *code.get(at).ok_or(DecodeError::Truncated)?;
                at += 1;
                Args::One(u32::from(b))
            }
            Layout::J => {
                let lo = *code.get(at).ok_or(DecodeError::Truncated)?;
                let hi = *code.get(at + 1).ok_or(DecodeError::Truncated)?;
                at += 2;
                Args::One(u32::from(u16::from_le_bytes([lo, hi])))
            }
        };
        Ok((Instr { op, args }, at))
    }

    /// Appends the encoding to `out`. Operands that do not fit the layout (a byte operand over
    /// 255, a jump over 65535) are the caller's bug; codegen checks `MAX_CODE_LEN` first.
    pub fn encode(&self, out: &mut alloc::vec::Vec<u8>) {
        out.push(self.op as u8);
        match (self.op.layout(), self.args) {
            (Layout::U, Args::One(a)) => write_varuint(out, a),
            (Layout::UU, Args::Two(a, b)) => {
                write_varuint(out, a);
                write_varuint(out, b);
            }
            (Layout::I, Args::Int(i)) => write_varint(out, i),
            (Layout::B, Args::One(a)) => out.push(a as u8),
            (Layout::J, Args::One(a)) => out.extend_from_slice(&(a as u16).to_le_bytes()),
            // A mismatched layout encodes zeros, which the verifier then judges.
            (Layout::U, _) => write_varuint(out, 0),
            (Layout::UU, _) => {
                write_varuint(out, 0);
                write_varuint(out, 0);
            }
            (Layout::I, _) => write_varint(out, 0),
            (Layout::B, _) => out.push(0),
            (Layout::J, _) => out.extend_from_slice(&[0, 0]),
            (Layout::None, _) => {}
        }
    }

    /// Encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        let mut buf = alloc::vec::Vec::new();
        self.encode(&mut buf);
        buf.len()
    }

    /// Stack effect: `(pops, pushes_next, pushes_branch)`. The instruction needs `pops` values;
    /// afterwards the depth is `depth - pops + pushes_next` when it continues and
    /// `depth - pops + pushes_branch` when it jumps. `Exit` instructions report only their pops.
    pub fn stack_effect(&self) -> (u32, u32, u32) {
        use Opcode::*;
        let a = self.a();
        let b = self.b();
        match self.op {
            POP_TOP => (1, 0, 0),
            DUP_TOP => (1, 2, 0),
            DUP_TOP_TWO => (2, 4, 0),
            ROT_TWO => (2, 2, 0),
            ROT_THREE => (3, 3, 0),
            LOAD_CONST | LOAD_SMALL_INT | LOAD_NONE | LOAD_TRUE | LOAD_FALSE
            | LOAD_ASSERTION_ERROR | LOAD_FAST | LOAD_NAME | LOAD_GLOBAL => (0, 1, 0),
            STORE_FAST | STORE_NAME | STORE_GLOBAL => (1, 0, 0),
            DELETE_FAST | DELETE_NAME | DELETE_GLOBAL => (0, 0, 0),
            LOAD_ATTR => (1, 1, 0),
            STORE_ATTR => (2, 0, 0),
            DELETE_ATTR => (1, 0, 0),
            LOAD_METHOD => (1, 2, 0),
            COPY => (a, a.saturating_add(1), 0),
            SWAP => (a, a, 0),
            LOAD_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF | LOAD_BUILD_CLASS => (0, 1, 0),
            STORE_DEREF => (1, 0, 0),
            DELETE_DEREF => (0, 0, 0),
            UNPACK_EX => (1, (a & 0xFF) + ((a >> 8) & 0xFF) + 1, 0),
            BUILD_SET | BUILD_STRING => (a, 1, 0),
            BUILD_SLICE => (a, 1, 0),
            LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE => {
                (a.saturating_add(1), a, 0)
            }
            MAP_ADD => (a.saturating_add(2), a, 0),
            LIST_TO_TUPLE => (1, 1, 0),
            FORMAT_VALUE => (1 + ((a >> 2) & 1), 1, 0),
            CALL_EX => (2 + (a & 1), 1, 0),
            YIELD_VALUE | GET_YIELD_FROM_ITER | GET_AWAITABLE | GET_AITER => (1, 1, 0),
            YIELD_FROM => (2, 1, 0),
            GET_ANEXT | BEFORE_WITH | BEFORE_ASYNC_WITH => (1, 2, 0),
            END_ASYNC_FOR => (2, 0, 0),
            WITH_EXCEPT_START => (3, 4, 0),
            IMPORT_STAR => (1, 0, 0),
            BINARY_SUBSCR => (2, 1, 0),
            STORE_SUBSCR => (3, 0, 0),
            DELETE_SUBSCR => (2, 0, 0),
            UNARY_OP => (1, 1, 0),
            BINARY_OP | INPLACE_OP | COMPARE_OP => (2, 1, 0),
            BUILD_TUPLE | BUILD_LIST => (a, 1, 0),
            BUILD_MAP => (a.saturating_mul(2), 1, 0),
            UNPACK_SEQUENCE => (1, a, 0),
            JUMP => (0, 0, 0),
            POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => (1, 0, 0),
            JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => (1, 0, 1),
            GET_ITER => (1, 2, 0),
            FOR_ITER => (2, 3, 0),
            GET_RANGE => (a, 3, 0),
            FOR_RANGE => (3, 4, 0),
            MAKE_FUNCTION => (b.count_ones().min(3), 1, 0),
            CALL => (a.saturating_add(1), 1, 0),
            // The keyword count comes from the names tuple; the verifier adds it.
            CALL_KW => (a.saturating_add(1), 1, 0),
            CALL_METHOD => (a.saturating_add(2), 1, 0),
            CALL_METHOD_KW => (a.saturating_add(2), 1, 0),
            RETURN_VALUE => (1, 0, 0),
            RAISE => (a.min(2), 0, 0),
            RERAISE => (1, 0, 0),
            PUSH_EXC_INFO => (1, 2, 0),
            POP_EXCEPT => (1, 0, 0),
            CHECK_EXC_MATCH => (2, 2, 0),
            IMPORT_NAME => (1, 1, 0),
            IMPORT_FROM => (1, 2, 0),
        }
    }
}

/// Reads an unsigned LEB128 of at most 32 bits, rejecting overlong encodings.
#[inline]
pub fn read_varuint(code: &[u8], at: &mut usize) -> Result<u32, DecodeError> {
    let mut value: u64 = 0;
    for i in 0..5 {
        let byte = *code.get(*at).ok_or(DecodeError::Truncated)?;
        *at += 1;
        value |= u64::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            if (byte == 0 && i > 0) || value > u64::from(u32::MAX) {
                return Err(DecodeError::BadVarint);
            }
            return Ok(value as u32);
        }
    }
    Err(DecodeError::BadVarint)
}

fn read_varint(code: &[u8], at: &mut usize) -> Result<i64, DecodeError> {
    let mut value: u64 = 0;
    for i in 0..10 {
        let byte = *code.get(*at).ok_or(DecodeError::Truncated)?;
        *at += 1;
        if i == 9 && byte > 1 {
            return Err(DecodeError::BadVarint);
        }
        value |= u64::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            if byte == 0 && i > 0 {
                return Err(DecodeError::BadVarint);
            }
            return Ok(((value >> 1) as i64) ^ -((value & 1) as i64));
        }
    }
    Err(DecodeError::BadVarint)
}

/// Appends an unsigned LEB128.
pub fn write_varuint(out: &mut alloc::vec::Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn write_varint(out: &mut alloc::vec::Vec<u8>, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    loop {
        let byte = (z & 0x7F) as u8;
        z >>= 7;
        if z == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Operand of UNARY_OP.
#[repr(u8)]
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
pub enum UnaryOp {
    Pos = 0,
    Neg = 1,
    Invert = 2,
    Not = 3,
}

/// Operand of BINARY_OP and INPLACE_OP.
#[repr(u8)]
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
pub enum BinaryOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
    MatMul = 3,
    TrueDiv = 4,
    FloorDiv = 5,
    Mod = 6,
    Pow = 7,
    LShift = 8,
    RShift = 9,
    And = 10,
    Or = 11,
    Xor = 12,
}

/// Operand of COMPARE_OP.
#[repr(u8)]
#[derive(Copy, Clone, PartialEq, Eq, Debug, Hash)]
pub enum CompareOp {
    Lt = 0,
    Le = 1,
    Eq = 2,
    Ne = 3,
    Gt = 4,
    Ge = 5,
    In = 6,
    NotIn = 7,
    Is = 8,
    IsNot = 9,
}

impl UnaryOp {
    pub const fn from_u8(b: u8) -> Option<UnaryOp> {
        Some(match b {
            0 => UnaryOp::Pos,
            1 => UnaryOp::Neg,
            2 => UnaryOp::Invert,
            3 => UnaryOp::Not,
            _ => return None,
        })
    }

    /// Python's spelling.
    pub const fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Pos => "+",
            UnaryOp::Neg => "-",
            UnaryOp::Invert => "~",
            UnaryOp::Not => "not",
        }
    }
}

impl BinaryOp {
    pub const fn from_u8(b: u8) -> Option<BinaryOp> {
        use BinaryOp::*;
        Some(match b {
            0 => Add,
            1 => Sub,
            2 => Mul,
            3 => MatMul,
            4 => TrueDiv,
            5 => FloorDiv,
            6 => Mod,
            7 => Pow,
            8 => LShift,
            9 => RShift,
            10 => And,
            11 => Or,
            12 => Xor,
            _ => return None,
        })
    }

    /// Python's spelling, as in TypeError messages.
    pub const fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            MatMul => "@",
            TrueDiv => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "**",
            LShift => "<<",
            RShift => ">>",
            And => "&",
            Or => "|",
            Xor => "^",
        }
    }
}

impl CompareOp {
    pub const fn from_u8(b: u8) -> Option<CompareOp> {
        use CompareOp::*;
        Some(match b {
            0 => Lt,
            1 => Le,
            2 => Eq,
            3 => Ne,
            4 => Gt,
            5 => Ge,
            6 => In,
            7 => NotIn,
            8 => Is,
            9 => IsNot,
            _ => return None,
        })
    }

    /// Python's spelling.
    pub const fn symbol(self) -> &'static str {
        use CompareOp::*;
        match self {
            Lt => "<",
            Le => "<=",
            Eq => "==",
            Ne => "!=",
            Gt => ">",
            Ge => ">=",
            In => "in",
            NotIn => "not in",
            Is => "is",
            IsNot => "is not",
        }
    }
}
