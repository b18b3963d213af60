//! `LoadError`: every reason the loader refuses an image. In: nothing. Out: the error type and
//! its one-line, human-readable `Display` (the CLI prints it after the file name).

use core::fmt;

/// Why an image was refused. Offsets are bytecode offsets within the named code object.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LoadError {
    /// The first four bytes are not `FRST`.
    BadMagic,
    /// The image ends early (header or body).
    Truncated,
    /// Written by a newer frost.
    NewerVersion { found: u16, supported: u16 },
    /// Written by an older frost whose format this runtime no longer reads.
    OlderVersion { found: u16, supported: u16 },
    /// Header flags this runtime does not know.
    UnknownFlags(u16),
    /// The CRC does not match: the image was corrupted.
    BadCrc { stored: u32, computed: u32 },
    /// The body does not decode (bad enum tag, bad UTF-8, bad varint, absurd length).
    Malformed,
    /// Bytes follow the body.
    TrailingBytes,
    /// The module has no code object.
    NoCode,
    /// An index in a code object header or the constant table is out of range.
    BadIndex {
        code: u32,
        what: &'static str,
        index: u32,
        len: u32,
    },
    /// An instruction operand indexes past its table.
    BadOperand {
        code: u32,
        offset: u32,
        what: &'static str,
        index: u32,
        len: u32,
    },
    /// A byte that is no opcode.
    BadOpcode { code: u32, offset: u32, byte: u8 },
    /// An instruction runs past the end of the code, or an operand is not a valid encoding.
    BadEncoding { code: u32, offset: u32 },
    /// A jump or handler target outside the code or inside an instruction.
    BadJump { code: u32, offset: u32, target: u32 },
    /// The code can fall off its end without returning.
    FallsOffEnd { code: u32 },
    /// Some path needs more stack than the code object declares.
    StackOverflow {
        code: u32,
        offset: u32,
        declared: u32,
    },
    /// Some path pops from an empty operand stack.
    StackUnderflow { code: u32, offset: u32 },
    /// Two paths reach an instruction with different stack depths.
    StackMismatch { code: u32, offset: u32 },
    /// The line table does not decode.
    BadLineTable { code: u32 },
    /// A constant is not valid for its kind (e.g. a non-minimal big int, a tuple referring forward).
    BadConst { index: u32 },
    /// An instruction operand is outside the values it accepts (operator kind, argc).
    BadOperandValue { code: u32, offset: u32 },
    /// A code object header is inconsistent (flags, parameter and local counts).
    BadCodeHeader { code: u32, what: &'static str },
    /// An exception entry's protected range is empty, past the end, or not on instructions.
    BadExcEntry { code: u32, entry: u32 },
    /// An instruction in a protected range can raise with fewer values on the stack than its
    /// handler keeps (`available` < `depth`), so the handler would find values missing.
    HandlerDepth {
        code: u32,
        offset: u32,
        depth: u32,
        available: u32,
    },
    /// An opcode appears in a kind of code that cannot run it (a yield outside a generator, an
    /// await outside a coroutine, LOAD_CLASSDEREF outside a class body, `import *` in a function).
    MisplacedOpcode {
        code: u32,
        offset: u32,
        op: &'static str,
        needs: &'static str,
    },
    /// A table is longer than this runtime accepts.
    TooLarge {
        what: &'static str,
        len: u32,
        max: u32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LoadError::*;
        match self {
            BadMagic => write!(f, "not a frost image (bad magic)"),
            Truncated => write!(f, "truncated image"),
            NewerVersion { found, supported } => write!(
                f,
                "image format version {found} is newer than this runtime supports ({supported})"
            ),
            OlderVersion { found, supported } => write!(
                f,
                "image format version {found} is older than this runtime supports ({supported}); recompile it"
            ),
            UnknownFlags(bits) => write!(f, "unknown header flags {bits:#06x}"),
            BadCrc { stored, computed } => write!(
                f,
                "corrupted image: CRC-32 is {computed:#010x}, header says {stored:#010x}"
            ),
            Malformed => write!(f, "malformed image body"),
            TrailingBytes => write!(f, "trailing bytes after the image body"),
            NoCode => write!(f, "image has no module code"),
            BadIndex {
                code,
                what,
                index,
                len,
            } => {
                write!(
                    f,
                    "code object {code}: {what} index {index} out of range (table has {len})"
                )
            }
            BadOperand {
                code,
                offset,
                what,
                index,
                len,
            } => write!(
                f,
                "code object {code}, offset {offset}: {what} index {index} out of range (table has {len})"
            ),
            BadOpcode { code, offset, byte } => {
                write!(
                    f,
                    "code object {code}, offset {offset}: unknown opcode {byte:#04x}"
                )
            }
            BadEncoding { code, offset } => {
                write!(
                    f,
                    "code object {code}, offset {offset}: bad instruction encoding"
                )
            }
            BadJump {
                code,
                offset,
                target,
            } => write!(
                f,
                "code object {code}, offset {offset}: jump target {target} is not an instruction"
            ),
            FallsOffEnd { code } => write!(f, "code object {code}: execution can run off the end"),
            StackOverflow {
                code,
                offset,
                declared,
            } => write!(
                f,
                "code object {code}, offset {offset}: stack depth exceeds the declared maximum {declared}"
            ),
            StackUnderflow { code, offset } => {
                write!(f, "code object {code}, offset {offset}: stack underflow")
            }
            StackMismatch { code, offset } => {
                write!(
                    f,
                    "code object {code}, offset {offset}: inconsistent stack depth"
                )
            }
            BadLineTable { code } => write!(f, "code object {code}: malformed line table"),
            BadConst { index } => write!(f, "constant {index} is malformed"),
            BadOperandValue { code, offset } => {
                write!(
                    f,
                    "code object {code}, offset {offset}: operand value out of range"
                )
            }
            BadCodeHeader { code, what } => write!(f, "code object {code}: {what}"),
            BadExcEntry { code, entry } => write!(
                f,
                "code object {code}: exception entry {entry} does not cover a range of instructions"
            ),
            HandlerDepth {
                code,
                offset,
                depth,
                available,
            } => write!(
                f,
                "code object {code}, offset {offset}: exception handler keeps {depth} stack values but only {available} are there"
            ),
            MisplacedOpcode {
                code,
                offset,
                op,
                needs,
            } => write!(
                f,
                "code object {code}, offset {offset}: {op} is only valid in {needs}"
            ),
            TooLarge { what, len, max } => {
                write!(f, "{what} has {len} entries, more than the limit {max}")
            }
        }
    }
}
