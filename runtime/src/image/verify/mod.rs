//! The verifier (DESIGN.md decision 3). In: a decoded `ModuleImage` and its header `Flags`.
//! Out: `Ok` only when every index, jump target, operand, stack depth and line table is valid,
//! so the VM can trust the image; otherwise the first problem found, as a precise `LoadError`.
//!
//! - this file: table sizes, the constant table, code object headers, line tables;
//! - `code`: decoding each instruction and checking its operands and jump targets;
//! - `placement`: which kinds of code (generator, coroutine, class body, ...) may hold an opcode;
//! - `stack`: stack depths over every path, exception edges included.
//!
//! Cost: linear in the image size (exception edges add a log factor of the exception table's
//! length). Allocation: a few bytes per bytecode byte of one code object at a time.

mod code;
mod placement;
mod stack;

use alloc::vec::Vec;

use super::format::{
    CODE_CLASS_BODY, CODE_COROUTINE, CODE_FLAGS_KNOWN, CODE_GENERATOR, CODE_MODULE, CODE_VARARGS,
    CODE_VARKEYWORDS, CodeObject, Const, Flags, ModuleImage,
};
use super::opcode::read_varuint;
use super::{LoadError, MAX_CODE_LEN};

/// Most identifiers one image may name: name operands stay within three varuint bytes, and a
/// device module never comes near it.
pub const MAX_NAMES: usize = 1 << 16;
/// Most constants one image may hold (same reason as `MAX_NAMES`).
pub const MAX_CONSTS: usize = 1 << 16;
/// Most code objects (functions plus the module body) one image may hold.
pub const MAX_CODE_OBJECTS: usize = 1 << 16;
/// Deepest relative import (`from ....x import y` has level 4); deeper than any package tree.
pub const MAX_IMPORT_LEVEL: u32 = 255;
/// Most deref slots (cells plus free variables) of one code object: as many as locals.
pub const MAX_DEREFS: usize = u16::MAX as usize;
/// Flags that make a code object a function of some kind; a module body has none of them.
const FUNCTION_ONLY: u32 =
    CODE_VARARGS | CODE_VARKEYWORDS | CODE_GENERATOR | CODE_COROUTINE | CODE_CLASS_BODY;
/// Flags a class body cannot have: `__build_class__` calls it with no arguments and runs it to
/// the end at once.
const NOT_IN_CLASS_BODY: u32 = CODE_VARARGS | CODE_VARKEYWORDS | CODE_GENERATOR | CODE_COROUTINE;

/// Checks everything about a decoded image that decoding itself does not.
pub fn verify(module: &ModuleImage<'_>, flags: Flags) -> Result<(), LoadError> {
    check_len("name table", module.names.len(), MAX_NAMES)?;
    check_len("constant table", module.consts.len(), MAX_CONSTS)?;
    check_len("code table", module.code.len(), MAX_CODE_OBJECTS)?;
    if module.code.is_empty() {
        return Err(LoadError::NoCode);
    }
    check_consts(&module.consts)?;
    let keyword_tuples = keyword_tuples(&module.consts);
    for (idx, code) in module.code.iter().enumerate() {
        // The table length is capped above, so the index fits u32.
        let c = idx as u32;
        check_header(c, code, module)?;
        check_lines(c, code, flags.has_lines)?;
        let starts = code::check_instructions(c, code, module, &keyword_tuples)?;
        stack::check_stack(c, code, module, &starts)?;
    }
    Ok(())
}

fn check_len(what: &'static str, len: usize, max: usize) -> Result<(), LoadError> {
    if len > max {
        return Err(LoadError::TooLarge {
            what,
            len: u32::try_from(len).unwrap_or(u32::MAX),
            max: u32::try_from(max).unwrap_or(u32::MAX),
        });
    }
    Ok(())
}

/// Tuples refer to earlier entries only (so constants can be built in one pass and contain no
/// cycles), and a big int is stored only when an `Int` cannot hold it, in its shortest form.
fn check_consts(consts: &[Const<'_>]) -> Result<(), LoadError> {
    for (i, konst) in consts.iter().enumerate() {
        let ok = match konst {
            Const::BigInt(bytes) => is_minimal_wide(bytes),
            Const::Tuple(items) => items.iter().all(|&item| (item as usize) < i),
            _ => true,
        };
        if !ok {
            return Err(LoadError::BadConst { index: i as u32 });
        }
    }
    Ok(())
}

/// For each constant, whether it is a tuple of strings, as CALL_KW's names operand must be.
/// Computed once, so many calls naming one long tuple cost no more than the tuple.
fn keyword_tuples(consts: &[Const<'_>]) -> Vec<bool> {
    consts
        .iter()
        .map(|konst| match konst {
            Const::Tuple(items) => items
                .iter()
                .all(|&i| matches!(consts.get(i as usize), Some(Const::Str(_)))),
            _ => false,
        })
        .collect()
}

/// Minimal little-endian two's complement of a value that needs more than 64 bits: more than 8
/// bytes, and the top byte is not a mere sign extension of the one below it.
fn is_minimal_wide(bytes: &[u8]) -> bool {
    let [.., below, top] = bytes else {
        return false;
    };
    let redundant = (*top == 0x00 && *below < 0x80) || (*top == 0xFF && *below >= 0x80);
    bytes.len() > 8 && !redundant
}

fn check_header(c: u32, code: &CodeObject<'_>, module: &ModuleImage<'_>) -> Result<(), LoadError> {
    let bad = |what| Err(LoadError::BadCodeHeader { code: c, what });
    let is_module = code.flags & CODE_MODULE != 0;
    if code.flags & !CODE_FLAGS_KNOWN != 0 {
        return bad("unknown code flags");
    }
    if c == 0 && !is_module {
        return bad("the first code object is not a module body");
    }
    if c != 0 && is_module {
        return bad("only the first code object may be a module body");
    }
    if is_module && code.flags & FUNCTION_ONLY != 0 {
        return bad("a module body has function flags");
    }
    if is_module && (code.n_params != 0 || code.n_kwonly != 0) {
        return bad("a module body takes no parameters");
    }
    if is_module && !(code.cellvars.is_empty() && code.freevars.is_empty()) {
        return bad("a module body has no cells or free variables");
    }
    let is_class_body = code.flags & CODE_CLASS_BODY != 0;
    if is_class_body && code.flags & NOT_IN_CLASS_BODY != 0 {
        return bad("a class body has function flags");
    }
    if is_class_body && (code.n_params != 0 || code.n_kwonly != 0) {
        return bad("a class body takes no parameters");
    }
    // Parameters come first among the locals: positional, keyword-only, *args, **kwargs.
    let n_param_locals = u32::from(code.n_params)
        + u32::from(code.n_kwonly)
        + u32::from(code.flags & CODE_VARARGS != 0)
        + u32::from(code.flags & CODE_VARKEYWORDS != 0);
    if u32::from(code.n_locals) < n_param_locals {
        return bad("fewer locals than parameters");
    }
    if code.local_names.len() != usize::from(code.n_locals) {
        return bad("the local names do not match the local count");
    }
    let n_names = module.names.len() as u32;
    let name_index = |what, index: u32| {
        if index >= n_names {
            return Err(LoadError::BadIndex {
                code: c,
                what,
                index,
                len: n_names,
            });
        }
        Ok(())
    };
    name_index("code name", code.name)?;
    for &local in &code.local_names {
        name_index("local name", local)?;
    }
    check_len(
        "deref table",
        code.cellvars.len() + code.freevars.len(),
        MAX_DEREFS,
    )?;
    for &cell in &code.cellvars {
        name_index("cell name", cell)?;
    }
    for &free in &code.freevars {
        name_index("free variable name", free)?;
    }
    if code.bytecode.len() > MAX_CODE_LEN {
        return Err(LoadError::TooLarge {
            what: "bytecode",
            len: u32::try_from(code.bytecode.len()).unwrap_or(u32::MAX),
            max: MAX_CODE_LEN as u32,
        });
    }
    Ok(())
}

/// The line table is pairs (offset delta, line delta > 0), starting at offset 0, line 1. Offsets
/// stay within the bytecode and lines within u32. An image without lines has empty tables.
fn check_lines(c: u32, code: &CodeObject<'_>, has_lines: bool) -> Result<(), LoadError> {
    let bad = LoadError::BadLineTable { code: c };
    let table = code.line_table;
    if !has_lines && !table.is_empty() {
        return Err(bad);
    }
    let (mut at, mut offset, mut line) = (0usize, 0u32, 1u32);
    while at < table.len() {
        let d_offset = read_varuint(table, &mut at).map_err(|_| bad.clone())?;
        let d_line = read_varuint(table, &mut at).map_err(|_| bad.clone())?;
        if d_line == 0 {
            return Err(bad);
        }
        offset = offset.checked_add(d_offset).ok_or_else(|| bad.clone())?;
        line = line.checked_add(d_line).ok_or_else(|| bad.clone())?;
        if offset as usize > code.bytecode.len() {
            return Err(bad);
        }
    }
    Ok(())
}
