//! The image container (DESIGN.md decision 2). In: a `ModuleImage` (writing) or image bytes
//! (reading). Out: image bytes, or a `ModuleImage` whose bytecode, strings and bytes borrow the
//! input. This is the only module that uses bincode, so the codec can be replaced here alone.
//!
//! Layout:
//! ```text
//! offset 0  magic     4 bytes  b"FRST"
//! offset 4  version   u16 LE   IMAGE_VERSION
//! offset 6  flags     u16 LE   bits 0-3 opt level, bit 4 line table present
//! offset 8  crc32     u32 LE   CRC-32/ISO-HDLC of bytes 0..8 followed by bytes 12..
//! offset 12 body      bincode 2 (standard config: varints, little endian) of `ModuleImage`
//! ```
//! Reading checks magic, version and CRC before it decodes anything, and rejects trailing bytes.
//! Reading does not check indices or bytecode: `verify` does, before anything runs.

use alloc::vec::Vec;
use bincode::{BorrowDecode, Encode};

use super::LoadError;

/// First four bytes of every image.
pub const MAGIC: [u8; 4] = *b"FRST";
/// Version of the layout and the opcode table; any change bumps it.
pub const IMAGE_VERSION: u16 = 2;
/// Bytes before the bincode body.
pub const HEADER_LEN: usize = 12;

const FLAG_OPT_MASK: u16 = 0x000F;
const FLAG_LINES: u16 = 0x0010;
const FLAGS_KNOWN: u16 = FLAG_OPT_MASK | FLAG_LINES;

/// Refuses bodies claiming absurd lengths before bincode allocates for them.
const DECODE_LIMIT: usize = 16 * 1024 * 1024;

const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// The header's feature flags.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Flags {
    /// Optimisation level the module was compiled at (0..=15; 3 and above strip line numbers).
    pub opt_level: u8,
    /// Whether code objects carry line tables.
    pub has_lines: bool,
}

impl Flags {
    fn to_bits(self) -> u16 {
        (u16::from(self.opt_level) & FLAG_OPT_MASK) | if self.has_lines { FLAG_LINES } else { 0 }
    }

    fn from_bits(bits: u16) -> Flags {
        Flags {
            opt_level: (bits & FLAG_OPT_MASK) as u8,
            has_lines: bits & FLAG_LINES != 0,
        }
    }
}

/// One compiled module: the body of the image.
#[derive(Encode, BorrowDecode, Clone, PartialEq, Debug)]
pub struct ModuleImage<'a> {
    /// Source name for tracebacks (`-s NAME`, or the input path as given).
    pub source_name: &'a str,
    /// Identifier table: global, attribute, import and local names. Operands `name_idx` index it.
    pub names: Vec<&'a str>,
    /// Constant table, deduplicated. Operands `const_idx` index it.
    pub consts: Vec<Const<'a>>,
    /// Code objects; `code[0]` is the module body. MAKE_FUNCTION's `code_idx` indexes it.
    pub code: Vec<CodeObject<'a>>,
}

/// A constant. Tuples refer to earlier entries only, so the table is built in one pass.
#[derive(Encode, BorrowDecode, Clone, PartialEq, Debug)]
pub enum Const<'a> {
    None,
    False,
    True,
    Ellipsis,
    /// An int that fits 64 bits (the loader makes it small or big as the value needs).
    Int(i64),
    /// A wider int: minimal two's complement, little endian.
    BigInt(&'a [u8]),
    /// A float by its bits (so `-0.0` and NaN survive).
    Float(u64),
    /// A complex number by the bits of its real and imaginary parts.
    Complex(u64, u64),
    Str(&'a str),
    Bytes(&'a [u8]),
    /// Indices of earlier constants.
    Tuple(Vec<u32>),
}

/// One function, or the module body.
#[derive(Encode, BorrowDecode, Clone, PartialEq, Debug)]
pub struct CodeObject<'a> {
    /// Index into `names`: the function's name (`<module>` for the body).
    pub name: u32,
    /// `CODE_*` bits.
    pub flags: u32,
    /// Positional parameters; they are locals `0..n_params`.
    pub n_params: u16,
    /// Keyword-only parameters; locals `n_params..n_params + n_kwonly`. Then come `*args` (if
    /// `CODE_VARARGS`) and `**kwargs` (if `CODE_VARKEYWORDS`), then the other locals.
    pub n_kwonly: u16,
    /// All locals, parameters included.
    pub n_locals: u16,
    /// Largest operand-stack depth any path reaches (the verifier recomputes and checks it).
    pub stack_size: u16,
    /// Index into `names` of each local, `n_locals` of them (keyword binding, error messages).
    pub local_names: Vec<u32>,
    /// Index into `names` of each cell variable: a local of this code captured by an inner
    /// function. Deref slots `0..cellvars.len()` are these cells, created empty at frame entry
    /// (a parameter that is a cell is copied in by the code itself: LOAD_FAST, STORE_DEREF).
    pub cellvars: Vec<u32>,
    /// Index into `names` of each free variable, taken from the function's closure tuple:
    /// deref slots `cellvars.len()..cellvars.len() + freevars.len()`.
    pub freevars: Vec<u32>,
    /// The instructions (see `opcode`).
    pub bytecode: &'a [u8],
    /// Pairs (varuint bytecode-offset delta, varuint line delta > 0); starts at offset 0 line 1.
    pub line_table: &'a [u8],
    /// Exception handlers, innermost first.
    pub exc_table: Vec<ExcEntry>,
}

/// Code object flag: this is a module body (names resolve through LOAD_NAME/STORE_NAME).
pub const CODE_MODULE: u32 = 1 << 0;
/// Code object flag: the function takes `*args` (a tuple in the local after the kw-only ones).
pub const CODE_VARARGS: u32 = 1 << 1;
/// Code object flag: the function takes `**kwargs` (a dict in the local after `*args`).
pub const CODE_VARKEYWORDS: u32 = 1 << 2;
/// Code object flag: calling the function makes a generator (it contains `yield`).
pub const CODE_GENERATOR: u32 = 1 << 3;
/// Code object flag: calling the function makes a coroutine (`async def`).
pub const CODE_COROUTINE: u32 = 1 << 4;
/// Code object flag: a class body, run by `__build_class__` with the class namespace as its
/// locals (LOAD_NAME/STORE_NAME/LOAD_CLASSDEREF resolve there first).
pub const CODE_CLASS_BODY: u32 = 1 << 5;
/// Every code object flag this version knows.
pub const CODE_FLAGS_KNOWN: u32 = CODE_MODULE
    | CODE_VARARGS
    | CODE_VARKEYWORDS
    | CODE_GENERATOR
    | CODE_COROUTINE
    | CODE_CLASS_BODY;

/// A protected range of bytecode and where its exceptions go.
#[derive(Encode, BorrowDecode, Copy, Clone, PartialEq, Eq, Debug)]
pub struct ExcEntry {
    /// First protected offset.
    pub start: u16,
    /// One past the last protected offset.
    pub end: u16,
    /// Where to continue, with the exception pushed.
    pub handler: u16,
    /// Operand-stack depth to truncate to before pushing the exception.
    pub depth: u16,
}

/// Writes an image: header, CRC, body. Deterministic: equal inputs give equal bytes.
pub fn write(module: &ModuleImage<'_>, flags: Flags) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&IMAGE_VERSION.to_le_bytes());
    out.extend_from_slice(&flags.to_bits().to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    {
        let writer = VecWriter(&mut out);
        let mut encoder = bincode::enc::EncoderImpl::new(writer, bincode::config::standard());
        // Our writer never fails and the standard config has no limit, so encoding cannot fail.
        let _infallible = module.encode(&mut encoder);
    }
    let crc = image_crc(&out);
    out[8..12].copy_from_slice(&crc.to_le_bytes());
    out
}

/// Reads the header and decodes the body, borrowing from `bytes`. Checks magic, version, flags,
/// CRC and that the body decodes exactly; indices and bytecode are `verify`'s job.
pub fn read(bytes: &[u8]) -> Result<(Flags, ModuleImage<'_>), LoadError> {
    if bytes.len() < HEADER_LEN {
        if bytes.len() >= 4 && bytes[..4] != MAGIC {
            return Err(LoadError::BadMagic);
        }
        return Err(LoadError::Truncated);
    }
    if bytes[..4] != MAGIC {
        return Err(LoadError::BadMagic);
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version > IMAGE_VERSION {
        return Err(LoadError::NewerVersion {
            found: version,
            supported: IMAGE_VERSION,
        });
    }
    if version < IMAGE_VERSION {
        return Err(LoadError::OlderVersion {
            found: version,
            supported: IMAGE_VERSION,
        });
    }
    let flag_bits = u16::from_le_bytes([bytes[6], bytes[7]]);
    if flag_bits & !FLAGS_KNOWN != 0 {
        return Err(LoadError::UnknownFlags(flag_bits));
    }
    let stored = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    let computed = image_crc(bytes);
    if stored != computed {
        return Err(LoadError::BadCrc { stored, computed });
    }
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (module, used) =
        bincode::borrow_decode_from_slice::<ModuleImage<'_>, _>(&bytes[HEADER_LEN..], config)
            .map_err(|e| match e {
                bincode::error::DecodeError::UnexpectedEnd { .. } => LoadError::Truncated,
                _ => LoadError::Malformed,
            })?;
    if HEADER_LEN + used != bytes.len() {
        return Err(LoadError::TrailingBytes);
    }
    Ok((Flags::from_bits(flag_bits), module))
}

fn image_crc(bytes: &[u8]) -> u32 {
    let mut digest = CRC32.digest();
    digest.update(&bytes[..8]);
    digest.update(&bytes[HEADER_LEN..]);
    digest.finalize()
}

/// Byte offset of `inner` within `outer`, when `inner` is a sub-slice of it. The loader turns the
/// borrowed slices of a decoded image into ranges with this, so the VM can keep the image bytes
/// (in flash, or shared) without a lifetime.
pub fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = outer.as_ptr() as usize;
    let at = inner.as_ptr() as usize;
    let off = at.checked_sub(start)?;
    (off + inner.len() <= outer.len()).then_some(off)
}

struct VecWriter<'v>(&'v mut Vec<u8>);

impl bincode::enc::write::Writer for VecWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), bincode::error::EncodeError> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}
