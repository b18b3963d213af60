//! Loading. In: image bytes (flash, a file, or fresh from the compiler). Out: a verified
//! `Loaded` module that keeps the bytes and refers into them by ranges, so bytecode and string
//! data are never copied and the VM needs no lifetime for them.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::ops::{Deref, Range};

use super::format::{self, CodeObject, Const, ExcEntry, Flags, ModuleImage};
use super::{LoadError, verify};

/// Where an image's bytes live: in flash for the life of the program, or shared on the heap.
#[derive(Clone, Debug)]
pub enum ImageBytes {
    Static(&'static [u8]),
    Shared(Rc<[u8]>),
}

impl Deref for ImageBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            ImageBytes::Static(b) => b,
            ImageBytes::Shared(b) => b,
        }
    }
}

/// A byte range within the image.
pub type Span = Range<u32>;

/// A verified constant; strings and bytes are ranges of the image.
#[derive(Clone, PartialEq, Debug)]
pub enum LoadedConst {
    None,
    False,
    True,
    Ellipsis,
    Int(i64),
    /// Minimal two's complement, little endian.
    BigInt(Span),
    Float(f64),
    /// (real, imag).
    Complex(f64, f64),
    Str(Span),
    Bytes(Span),
    /// Indices of earlier constants.
    Tuple(Vec<u32>),
}

/// A verified code object.
#[derive(Clone, PartialEq, Debug)]
pub struct LoadedCode {
    pub name: u32,
    pub flags: u32,
    pub n_params: u16,
    pub n_kwonly: u16,
    pub n_locals: u16,
    pub stack_size: u16,
    pub local_names: Vec<u32>,
    pub cellvars: Vec<u32>,
    pub freevars: Vec<u32>,
    pub bytecode: Span,
    pub line_table: Span,
    pub exc_table: Vec<ExcEntry>,
}

/// A verified module image. Every index inside it is known to be in range.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub bytes: ImageBytes,
    pub flags: Flags,
    pub source_name: Span,
    pub names: Vec<Span>,
    pub consts: Vec<LoadedConst>,
    pub code: Vec<LoadedCode>,
}

/// Reads and verifies an image. Nothing of it runs before this returns `Ok`.
pub fn load(bytes: ImageBytes) -> Result<Loaded, LoadError> {
    let (flags, module) = format::read(&bytes)?;
    verify::verify(&module, flags)?;
    let whole: &[u8] = &bytes;
    let span = |inner: &[u8]| -> Result<Span, LoadError> {
        let off = format::offset_in(whole, inner).ok_or(LoadError::Malformed)?;
        Ok(off as u32..(off + inner.len()) as u32)
    };
    let source_name = span(module.source_name.as_bytes())?;
    let names = module
        .names
        .iter()
        .map(|n| span(n.as_bytes()))
        .collect::<Result<Vec<_>, _>>()?;
    let consts = module
        .consts
        .iter()
        .map(|c| {
            Ok(match c {
                Const::None => LoadedConst::None,
                Const::False => LoadedConst::False,
                Const::True => LoadedConst::True,
                Const::Ellipsis => LoadedConst::Ellipsis,
                Const::Int(i) => LoadedConst::Int(*i),
                Const::BigInt(b) => LoadedConst::BigInt(span(b)?),
                Const::Float(bits) => LoadedConst::Float(f64::from_bits(*bits)),
                Const::Complex(re, im) => {
                    LoadedConst::Complex(f64::from_bits(*re), f64::from_bits(*im))
                }
                Const::Str(s) => LoadedConst::Str(span(s.as_bytes())?),
                Const::Bytes(b) => LoadedConst::Bytes(span(b)?),
                Const::Tuple(items) => LoadedConst::Tuple(items.clone()),
            })
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    let code = module
        .code
        .iter()
        .map(|c: &CodeObject<'_>| {
            Ok(LoadedCode {
                name: c.name,
                flags: c.flags,
                n_params: c.n_params,
                n_kwonly: c.n_kwonly,
                n_locals: c.n_locals,
                stack_size: c.stack_size,
                local_names: c.local_names.clone(),
                cellvars: c.cellvars.clone(),
                freevars: c.freevars.clone(),
                bytecode: span(c.bytecode)?,
                line_table: span(c.line_table)?,
                exc_table: c.exc_table.clone(),
            })
        })
        .collect::<Result<Vec<_>, LoadError>>()?;
    drop::<ModuleImage<'_>>(module);
    Ok(Loaded {
        bytes,
        flags,
        source_name,
        names,
        consts,
        code,
    })
}

impl Loaded {
    /// The bytes of a span (empty if the span were somehow out of range).
    pub fn slice(&self, span: &Span) -> &[u8] {
        self.bytes
            .get(span.start as usize..span.end as usize)
            .unwrap_or(&[])
    }

    /// The text of a span that the loader checked to be UTF-8.
    pub fn text(&self, span: &Span) -> &str {
        core::str::from_utf8(self.slice(span)).unwrap_or("")
    }

    /// The source name for tracebacks.
    pub fn source_name(&self) -> &str {
        self.text(&self.source_name)
    }

    /// Name `idx` of the identifier table.
    pub fn name(&self, idx: u32) -> &str {
        self.names.get(idx as usize).map_or("", |s| self.text(s))
    }

    /// The bytecode of code object `idx`.
    pub fn bytecode(&self, idx: usize) -> &[u8] {
        self.code.get(idx).map_or(&[], |c| self.slice(&c.bytecode))
    }

    /// The source line of bytecode offset `pc` in code object `idx`: 1 when there is no table.
    pub fn line_for(&self, idx: usize, pc: u32) -> u32 {
        let Some(code) = self.code.get(idx) else {
            return 1;
        };
        line_for(self.slice(&code.line_table), pc)
    }
}

/// Walks a line table (pairs of offset delta, line delta) to the line of `pc`.
pub fn line_for(table: &[u8], pc: u32) -> u32 {
    let mut at = 0;
    let (mut offset, mut line) = (0u32, 1u32);
    while at < table.len() {
        let Ok(d_off) = super::opcode::read_varuint(table, &mut at) else {
            break;
        };
        let Ok(d_line) = super::opcode::read_varuint(table, &mut at) else {
            break;
        };
        offset = offset.saturating_add(d_off);
        if offset > pc {
            break;
        }
        line = line.saturating_add(d_line);
    }
    line
}
