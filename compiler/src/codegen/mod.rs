//! Code generation. In: the folded `ast::Module`, its `SymbolTable`, the source text (for line
//! numbers) and `Options`. Out: image bytes written by `frost_runtime::image::format::write`.
//!
//! - `mod.rs`: the driver, the per-module tables (names, constants, code objects) and name
//!   operations;
//! - `emit`: labels, jump patching, flow analysis (stack size), line and exception tables;
//! - `expr`: expressions; `stmt`: statements, loops, imports;
//! - `function`: `def`, `lambda`, `yield`, `await`, closures; `class`: class bodies;
//!   `comprehension`: the four comprehensions; `call`: calls, with and without unpacking;
//! - `display`: tuple/list/set/dict displays with `*`/`**` unpacking, slices;
//! - `fstring`: f-strings; `target`: starred targets, annotated targets, `import *`;
//! - `try_`: try/except/finally and leaving blocks by `return`, `break`, `continue`;
//! - `with_`: `with`, `async with`, `async for`.
//!
//! Everything that reaches the image is ordered by first use or by `BTreeMap` keys, never by a
//! hash, so equal input gives equal bytes (DESIGN.md decision 4).

mod call;
mod class;
mod comprehension;
mod display;
mod emit;
mod expr;
mod fstring;
mod function;
mod stmt;
mod target;
mod try_;
mod with_;

use std::collections::BTreeMap;

use frost_runtime::image::format::{self, CODE_MODULE, CodeObject, Const, Flags};
use frost_runtime::image::{Args, ModuleImage, Opcode};

use crate::Options;
use crate::ast::{Constant, Module, Span, Stmt};
use crate::diag::CompileError;
use crate::scope::{Binding, Scope, ScopeKind, SymbolTable};

use emit::{CodeBuilder, Label};

/// Compiles a folded, analysed module to image bytes.
pub fn generate(
    module: &Module,
    symbols: &SymbolTable,
    source: &str,
    options: &Options,
) -> Result<Vec<u8>, CompileError> {
    generate_body(module, symbols, source, options, false)
}

/// Compiles an `eval` module: its body is one expression statement, whose value the module
/// body returns (`crate::compile_eval` checks the shape).
pub fn generate_eval(
    module: &Module,
    symbols: &SymbolTable,
    source: &str,
    options: &Options,
) -> Result<Vec<u8>, CompileError> {
    generate_body(module, symbols, source, options, true)
}

fn generate_body(
    module: &Module,
    symbols: &SymbolTable,
    source: &str,
    options: &Options,
    eval: bool,
) -> Result<Vec<u8>, CompileError> {
    let with_lines = options.source_lines && options.opt_level < 3;
    let mut unit = Unit {
        symbols,
        line_starts: line_starts(source),
        with_lines,
        names: Vec::new(),
        name_idx: BTreeMap::new(),
        consts: Vec::new(),
        const_idx: BTreeMap::new(),
        code: vec![None],
    };
    let module_name = unit.name("<module>");
    let module_scope = symbols.module().ok_or_else(|| {
        CompileError::syntax("module missing from scope analysis", Span::default())
    })?;
    let mut body = FnCompiler::new(&mut unit, module_scope);
    match (eval, module.body.as_slice()) {
        (true, [stmt]) => body.eval_body(stmt)?,
        _ => {
            body.block(&module.body)?;
            body.code.emit(Opcode::LOAD_NONE, Args::None);
        }
    }
    body.code.emit(Opcode::RETURN_VALUE, Args::None);
    let assembled = body.assemble(Span::default())?;
    let module_code = CodeData {
        name: module_name,
        flags: CODE_MODULE,
        n_params: 0,
        n_kwonly: 0,
        local_names: Vec::new(),
        cellvars: Vec::new(),
        freevars: Vec::new(),
        assembled,
    };
    if let Some(slot) = unit.code.first_mut() {
        *slot = Some(module_code);
    }
    unit.check_limits()?;
    Ok(unit.write(options, with_lines))
}

/// A constant as the table stores it: tuples by the indices of their (earlier) elements, so
/// strict equality (`Constant::strict_eq`) is plain equality here.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum ConstKey {
    None,
    False,
    True,
    Ellipsis,
    Int(i64),
    BigInt(Vec<u8>),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<u32>),
}

struct CodeData {
    name: u32,
    flags: u32,
    n_params: u16,
    n_kwonly: u16,
    local_names: Vec<u32>,
    cellvars: Vec<u32>,
    freevars: Vec<u32>,
    assembled: emit::Assembled,
}

/// The tables of the module being compiled.
pub(crate) struct Unit<'a> {
    symbols: &'a SymbolTable,
    line_starts: Vec<u32>,
    with_lines: bool,
    names: Vec<String>,
    name_idx: BTreeMap<String, u32>,
    consts: Vec<ConstKey>,
    const_idx: BTreeMap<ConstKey, u32>,
    /// Code objects by index; a slot is reserved before its function body is compiled.
    code: Vec<Option<CodeData>>,
}

impl Unit<'_> {
    /// Index of `name` in the names table, adding it on first use.
    fn name(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.name_idx.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.name_idx.insert(name.to_string(), i);
        i
    }

    /// Index of a constant, adding it (tuple elements first) on first use.
    fn constant(&mut self, c: &Constant) -> u32 {
        let key = match c {
            Constant::None => ConstKey::None,
            Constant::True => ConstKey::True,
            Constant::False => ConstKey::False,
            Constant::Ellipsis => ConstKey::Ellipsis,
            Constant::Int(i) => match i64::try_from(i) {
                Ok(small) => ConstKey::Int(small),
                Err(_) => ConstKey::BigInt(i.to_signed_bytes_le()),
            },
            Constant::Float(f) => ConstKey::Float(f.to_bits()),
            Constant::Complex(re, im) => ConstKey::Complex(re.to_bits(), im.to_bits()),
            Constant::Str(s) => ConstKey::Str(s.clone()),
            Constant::Bytes(b) => ConstKey::Bytes(b.clone()),
            Constant::Tuple(items) => {
                ConstKey::Tuple(items.iter().map(|i| self.constant(i)).collect())
            }
        };
        if let Some(&i) = self.const_idx.get(&key) {
            return i;
        }
        let i = self.consts.len() as u32;
        self.consts.push(key.clone());
        self.const_idx.insert(key, i);
        i
    }

    fn reserve_code(&mut self) -> u32 {
        self.code.push(None);
        (self.code.len() - 1) as u32
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: u32) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset).max(1) as u32
    }

    /// The loader refuses tables past these sizes, so the compiler does first.
    fn check_limits(&self) -> Result<(), CompileError> {
        use frost_runtime::image::verify::{MAX_CODE_OBJECTS, MAX_CONSTS, MAX_NAMES};
        for (what, len, max) in [
            ("names", self.names.len(), MAX_NAMES),
            ("constants", self.consts.len(), MAX_CONSTS),
            ("functions", self.code.len(), MAX_CODE_OBJECTS),
        ] {
            if len > max {
                let message = format!("too many {what} in one module: {len} (the limit is {max})");
                return Err(CompileError::syntax(message, Span::default()));
            }
        }
        Ok(())
    }

    fn write(&self, options: &Options, with_lines: bool) -> Vec<u8> {
        let consts = self
            .consts
            .iter()
            .map(|c| match c {
                ConstKey::None => Const::None,
                ConstKey::False => Const::False,
                ConstKey::True => Const::True,
                ConstKey::Ellipsis => Const::Ellipsis,
                ConstKey::Int(i) => Const::Int(*i),
                ConstKey::BigInt(b) => Const::BigInt(b),
                ConstKey::Float(bits) => Const::Float(*bits),
                ConstKey::Complex(re, im) => Const::Complex(*re, *im),
                ConstKey::Str(s) => Const::Str(s),
                ConstKey::Bytes(b) => Const::Bytes(b),
                ConstKey::Tuple(items) => Const::Tuple(items.clone()),
            })
            .collect();
        let code = self
            .code
            .iter()
            .flatten()
            .map(|c| CodeObject {
                name: c.name,
                flags: c.flags,
                n_params: c.n_params,
                n_kwonly: c.n_kwonly,
                n_locals: c.local_names.len() as u16,
                stack_size: c.assembled.stack_size,
                local_names: c.local_names.clone(),
                cellvars: c.cellvars.clone(),
                freevars: c.freevars.clone(),
                bytecode: &c.assembled.bytecode,
                line_table: &c.assembled.line_table,
                exc_table: c.assembled.exc_table.clone(),
            })
            .collect();
        let image = ModuleImage {
            source_name: &options.source_name,
            names: self.names.iter().map(String::as_str).collect(),
            consts,
            code,
        };
        let flags = Flags {
            opt_level: options.opt_level.min(15),
            has_lines: with_lines,
        };
        format::write(&image, flags)
    }
}

/// Byte offsets where lines start; `\n`, `\r\n` and a lone `\r` end a line (as `diag` counts).
fn line_starts(source: &str) -> Vec<u32> {
    let bytes = source.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let crlf = b == b'\r' && bytes.get(i + 1) == Some(&b'\n');
        if b == b'\n' || (b == b'\r' && !crlf) {
            starts.push(i as u32 + 1);
        }
    }
    starts
}

/// What a statement is inside of, for leaving it early (`try_` unwinds these).
#[derive(Copy, Clone)]
enum Block<'a> {
    /// A loop; `slots` iterator values stay on the stack while its body runs.
    Loop {
        break_label: Label,
        continue_label: Label,
        slots: u32,
        handler_level: usize,
    },
    /// The body of a try with a `finally`, which runs on the way out.
    Finally {
        body: &'a [Stmt],
        handler_level: usize,
    },
    /// An except body: the previously handled exception is on the stack.
    Handler {
        name: Option<&'a str>,
        handler_level: usize,
    },
    /// A finally body on the exceptional path: previous and current exception on the stack.
    FinallyExc { handler_level: usize },
    /// A finally body run on the way out of a `return`: the return value is on the stack.
    ReturnValue,
    /// The body of a `with`: its exit callable is on the stack (`with_`).
    With {
        handler_level: usize,
        is_async: bool,
    },
}

impl Block<'_> {
    fn stack_items(&self) -> u32 {
        match self {
            Block::Loop { slots, .. } => *slots,
            Block::Finally { .. } => 0,
            Block::Handler { .. } => 1,
            Block::FinallyExc { .. } => 2,
            Block::ReturnValue => 1,
            Block::With { .. } => 1,
        }
    }
}

/// Compiles one code object (the module body or a function).
pub(crate) struct FnCompiler<'a, 'u> {
    unit: &'u mut Unit<'a>,
    /// The scope being compiled: says how each name is reached.
    scope: &'a Scope,
    code: CodeBuilder,
    blocks: Vec<Block<'a>>,
}

impl<'a, 'u> FnCompiler<'a, 'u> {
    fn new(unit: &'u mut Unit<'a>, scope: &'a Scope) -> FnCompiler<'a, 'u> {
        FnCompiler {
            unit,
            scope,
            code: CodeBuilder::new(),
            blocks: Vec::new(),
        }
    }

    /// Operand-stack depth at the start of a statement here.
    fn base_depth(&self) -> u32 {
        self.blocks.iter().map(Block::stack_items).sum::<u32>()
    }

    fn set_line(&mut self, span: Span) {
        self.code.line = self.unit.line_of(span.start);
    }

    fn assemble(self, span: Span) -> Result<emit::Assembled, CompileError> {
        self.code
            .assemble(self.unit.with_lines)
            .map_err(|message| CompileError {
                kind: "SyntaxError",
                message,
                span,
            })
    }

    fn op(&mut self, op: Opcode) {
        self.code.emit(op, Args::None);
    }

    fn op1(&mut self, op: Opcode, a: u32) {
        self.code.emit(op, Args::One(a));
    }

    /// Loads a constant with the shortest instruction for it.
    fn load_const(&mut self, c: &Constant) {
        use frost_runtime::value::{SMALL_INT_MAX, SMALL_INT_MIN};
        match c {
            Constant::None => self.op(Opcode::LOAD_NONE),
            Constant::True => self.op(Opcode::LOAD_TRUE),
            Constant::False => self.op(Opcode::LOAD_FALSE),
            Constant::Int(i) => match i64::try_from(i) {
                Ok(v) if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&v) => {
                    self.code.emit(Opcode::LOAD_SMALL_INT, Args::Int(v));
                }
                _ => self.load_const_idx(c),
            },
            _ => self.load_const_idx(c),
        }
    }

    fn load_const_idx(&mut self, c: &Constant) {
        let idx = self.unit.constant(c);
        self.op1(Opcode::LOAD_CONST, idx);
    }

    /// Emits the load, store or delete of `name` that its binding in this scope calls for:
    /// fast slots and cells in functions, name operations in module and class bodies
    /// (LOAD_CLASSDEREF for a class body reading an enclosing function's variable).
    fn name_op(&mut self, name: &str, access: Access) {
        use Opcode::*;
        let scope = self.scope;
        let binding = scope.binding(name);
        if matches!(binding, Binding::Cell | Binding::Free)
            && let Some(idx) = scope.deref_idx(name)
        {
            let op = match access {
                Access::Load if scope.kind == ScopeKind::Class => LOAD_CLASSDEREF,
                Access::Load => LOAD_DEREF,
                Access::Store => STORE_DEREF,
                Access::Delete => DELETE_DEREF,
            };
            self.op1(op, idx);
            return;
        }
        let fast = (scope.kind == ScopeKind::Function && binding == Binding::Local)
            .then(|| scope.local_idx(name))
            .flatten();
        if let Some(slot) = fast {
            let op = match access {
                Access::Load => LOAD_FAST,
                Access::Store => STORE_FAST,
                Access::Delete => DELETE_FAST,
            };
            self.op1(op, slot);
            return;
        }
        let global = match scope.kind {
            ScopeKind::Module => false,
            ScopeKind::Class => binding == Binding::GlobalExplicit,
            ScopeKind::Function => true,
        };
        let idx = self.unit.name(name);
        let op = match (access, global) {
            (Access::Load, false) => LOAD_NAME,
            (Access::Store, false) => STORE_NAME,
            (Access::Delete, false) => DELETE_NAME,
            (Access::Load, true) => LOAD_GLOBAL,
            (Access::Store, true) => STORE_GLOBAL,
            (Access::Delete, true) => DELETE_GLOBAL,
        };
        self.op1(op, idx);
    }

    fn load_name(&mut self, name: &str) {
        self.name_op(name, Access::Load);
    }

    fn store_name(&mut self, name: &str) {
        self.name_op(name, Access::Store);
    }

    fn delete_name(&mut self, name: &str) {
        self.name_op(name, Access::Delete);
    }
}

/// What a name operation does.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Access {
    Load,
    Store,
    Delete,
}

/// Checks a count against an operand limit (u16 fields of the image).
fn limit_u16(n: usize, what: &str, span: Span) -> Result<u16, CompileError> {
    u16::try_from(n).map_err(|_| CompileError::syntax(format!("too many {what}"), span))
}
