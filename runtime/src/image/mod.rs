//! The image format, one source of truth for compiler and runtime (DESIGN.md decisions 1-3).
//! In: image bytes from a file, flash or the compiler. Out: a verified module view for the VM,
//! or a precise `LoadError`.
//!
//! - `opcode`: the instruction set, its encoding and stack effects;
//! - `format`: header, CRC and the bincode body (`ModuleImage`), reading and writing;
//! - `error`: `LoadError`, every reason an image is refused;
//! - `verify`: every check that makes a decoded image safe to run;
//! - `load`: read + verify, giving the VM a `Loaded` module that refers into the bytes.

pub mod error;
pub mod format;
pub mod load;
pub mod opcode;
pub mod verify;

pub use error::LoadError;
pub use format::{
    CODE_CLASS_BODY, CODE_COROUTINE, CODE_FLAGS_KNOWN, CODE_GENERATOR, CODE_MODULE, CODE_VARARGS,
    CODE_VARKEYWORDS, CodeObject, Const, ExcEntry, Flags, HEADER_LEN, IMAGE_VERSION, MAGIC,
    ModuleImage,
};
pub use load::{ImageBytes, Loaded, LoadedCode, LoadedConst, load};
pub use opcode::{Args, BinaryOp, CompareOp, Flow, Instr, Layout, Opcode, UnaryOp};

/// Largest bytecode of one code object: jump targets are u16 offsets.
pub const MAX_CODE_LEN: usize = u16::MAX as usize;
