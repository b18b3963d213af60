//! The disassembler (`frost dis`). In: image bytes. Out: stable text, or the `LoadError` that
//! refused the image (it is loaded and verified first). Snapshot tests are taken of this text,
//! so it holds no addresses and no hash order, and its layout changes only on purpose.
//!
//! Layout: the module header, the constant table (Python reprs) and the name table, then per
//! code object a header (name, parameters, keyword-only parameters, cell and free variables,
//! locals, stack size, flags), one line per
//! instruction (offset, source line when it changes or `-` without line tables, mnemonic,
//! decoded operands) and the exception table.

mod repr;

use std::borrow::Cow;
use std::fmt::{self, Write};
use std::rc::Rc;

use frost_runtime::image::opcode::read_varuint;
use frost_runtime::image::{
    BinaryOp, CODE_CLASS_BODY, CODE_COROUTINE, CODE_GENERATOR, CODE_MODULE, CODE_VARARGS,
    CODE_VARKEYWORDS, CompareOp, ImageBytes, Instr, LoadError, Loaded, LoadedCode, LoadedConst,
    Opcode, UnaryOp, load,
};

use repr::str_repr;

/// Width of the mnemonic column: the longest mnemonics (`LOAD_ASSERTION_ERROR`) are 20.
const MNEMONIC_WIDTH: usize = 21;

/// Loads and verifies `image`, then renders it as text.
pub fn disassemble(image: &[u8]) -> Result<String, LoadError> {
    let loaded = load(ImageBytes::Shared(Rc::from(image)))?;
    let consts = repr::const_reprs(&loaded);
    let mut out = String::new();
    let lines = if loaded.flags.has_lines {
        "line tables"
    } else {
        "no line tables"
    };
    emit(
        &mut out,
        format_args!(
            "module {} (opt level {}, {lines})\n",
            str_repr(loaded.source_name()),
            loaded.flags.opt_level
        ),
    );
    out.push_str(if consts.is_empty() {
        "consts: none\n"
    } else {
        "consts:\n"
    });
    for (i, konst) in consts.iter().enumerate() {
        emit(&mut out, format_args!("  {i}: {konst}\n"));
    }
    let names: Vec<Cow<'_, str>> = (0..loaded.names.len() as u32)
        .map(|i| name_text(loaded.name(i)))
        .collect();
    let names = if names.is_empty() {
        "none".into()
    } else {
        names.join(" ")
    };
    emit(&mut out, format_args!("names: {names}\n"));
    for (idx, code) in loaded.code.iter().enumerate() {
        out.push('\n');
        code_object(&mut out, &loaded, &consts, idx, code);
    }
    Ok(out)
}

fn emit(out: &mut String, args: fmt::Arguments<'_>) {
    // Writing to a String cannot fail.
    let _infallible = out.write_fmt(args);
}

/// A name as it is when it looks like an identifier, else its repr, so that no name from an
/// image can break the layout (a newline, a space).
fn name_text(name: &str) -> Cow<'_, str> {
    if !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(str_repr(name))
    }
}

fn list(loaded: &Loaded, names: &[u32]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let names: Vec<Cow<'_, str>> = names.iter().map(|&n| name_text(loaded.name(n))).collect();
    names.join(", ")
}

fn code_object(
    out: &mut String,
    loaded: &Loaded,
    consts: &[String],
    idx: usize,
    code: &LoadedCode,
) {
    let n_params = usize::from(code.n_params).min(code.local_names.len());
    let n_kwonly = usize::from(code.n_kwonly).min(code.local_names.len() - n_params);
    let flag_names: Vec<&str> = [
        (CODE_MODULE, "module"),
        (CODE_VARARGS, "varargs"),
        (CODE_VARKEYWORDS, "varkeywords"),
        (CODE_GENERATOR, "generator"),
        (CODE_COROUTINE, "coroutine"),
        (CODE_CLASS_BODY, "class body"),
    ]
    .into_iter()
    .filter(|&(bit, _)| code.flags & bit != 0)
    .map(|(_, name)| name)
    .collect();
    let flags = if flag_names.is_empty() {
        "none".to_string()
    } else {
        flag_names.join(", ")
    };
    // Keyword-only parameters and deref tables appear only when present, so code without
    // them keeps its one-line header.
    let mut extra = String::new();
    if n_kwonly > 0 {
        let kwonly = code.local_names.get(n_params..n_params + n_kwonly);
        extra.push_str(&format!(
            "; kw-only: {}",
            list(loaded, kwonly.unwrap_or(&[]))
        ));
    }
    if !code.cellvars.is_empty() {
        extra.push_str(&format!("; cells: {}", list(loaded, &code.cellvars)));
    }
    if !code.freevars.is_empty() {
        extra.push_str(&format!("; free: {}", list(loaded, &code.freevars)));
    }
    emit(
        out,
        format_args!(
            "code {idx} {} (params: {}{extra}; locals: {}; stack: {}; flags: {flags})\n",
            name_text(loaded.name(code.name)),
            list(loaded, code.local_names.get(..n_params).unwrap_or(&[])),
            list(loaded, &code.local_names),
            code.stack_size,
        ),
    );
    out.push_str("  offset  line  instruction\n");
    let bytecode = loaded.bytecode(idx);
    let mut pc = 0;
    let mut last_line = None;
    let mut lines = line_starts(loaded.slice(&code.line_table))
        .into_iter()
        .peekable();
    let mut current = 1;
    while pc < bytecode.len() {
        let Ok((instr, next)) = Instr::decode(bytecode, pc) else {
            break;
        };
        let line = if loaded.flags.has_lines {
            while lines
                .peek()
                .is_some_and(|&(offset, _)| offset as usize <= pc)
            {
                current = lines.next().map_or(current, |(_, line)| line);
            }
            let line = current;
            let shown = if last_line == Some(line) {
                String::new()
            } else {
                line.to_string()
            };
            last_line = Some(line);
            shown
        } else {
            "-".into()
        };
        let operands = operands(loaded, consts, code, &instr);
        let text = format!("{:<MNEMONIC_WIDTH$}{operands}", instr.op.name());
        emit(
            out,
            format_args!("  {pc:>6}  {line:>4}  {}\n", text.trim_end()),
        );
        pc = next;
    }
    if !code.exc_table.is_empty() {
        out.push_str("  exception table:\n");
        for e in &code.exc_table {
            emit(
                out,
                format_args!(
                    "    {}..{} -> {} (depth {})\n",
                    e.start, e.end, e.handler, e.depth
                ),
            );
        }
    }
}

/// The (offset, line) where each line-table step takes effect, in order; the table starts at
/// offset 0, line 1 (`load::line_for` reads it the same way, one offset at a time).
fn line_starts(table: &[u8]) -> Vec<(u32, u32)> {
    let mut starts = Vec::new();
    let (mut at, mut offset, mut line) = (0, 0u32, 1u32);
    while at < table.len() {
        let (Ok(d_offset), Ok(d_line)) =
            (read_varuint(table, &mut at), read_varuint(table, &mut at))
        else {
            break;
        };
        offset = offset.saturating_add(d_offset);
        line = line.saturating_add(d_line);
        starts.push((offset, line));
    }
    starts
}

/// The decoded operands of one instruction, with indices replaced by what they name.
fn operands(loaded: &Loaded, consts: &[String], code: &LoadedCode, instr: &Instr) -> String {
    use Opcode::*;
    let (a, b) = (instr.a(), instr.b());
    let konst = |i: u32| {
        consts
            .get(i as usize)
            .map_or("?", String::as_str)
            .to_string()
    };
    let name = |i: u32| name_text(loaded.name(i)).into_owned();
    let local = |i: u32| {
        let name = code
            .local_names
            .get(i as usize)
            .map_or("", |&n| loaded.name(n));
        name_text(name).into_owned()
    };
    let op_symbol = |symbol: Option<&'static str>| symbol.unwrap_or("?").to_string();
    match instr.op {
        LOAD_CONST => konst(a),
        LOAD_SMALL_INT => match instr.args {
            frost_runtime::image::Args::Int(v) => v.to_string(),
            _ => String::new(),
        },
        LOAD_FAST | STORE_FAST | DELETE_FAST => local(a),
        LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_GLOBAL | STORE_GLOBAL | DELETE_GLOBAL
        | LOAD_ATTR | STORE_ATTR | DELETE_ATTR | LOAD_METHOD | IMPORT_FROM => name(a),
        IMPORT_NAME => format!("{}, level {b}", name(a)),
        UNARY_OP => op_symbol(
            u8::try_from(a)
                .ok()
                .and_then(UnaryOp::from_u8)
                .map(UnaryOp::symbol),
        ),
        BINARY_OP | INPLACE_OP => op_symbol(
            u8::try_from(a)
                .ok()
                .and_then(BinaryOp::from_u8)
                .map(BinaryOp::symbol),
        ),
        COMPARE_OP => op_symbol(
            u8::try_from(a)
                .ok()
                .and_then(CompareOp::from_u8)
                .map(CompareOp::symbol),
        ),
        BUILD_TUPLE | BUILD_LIST | BUILD_MAP | UNPACK_SEQUENCE | CALL | CALL_METHOD | GET_RANGE
        | RAISE => a.to_string(),
        CALL_KW | CALL_METHOD_KW => {
            let keywords = match loaded.consts.get(b as usize) {
                Some(LoadedConst::Tuple(items)) => items
                    .iter()
                    .map(|&i| match loaded.consts.get(i as usize) {
                        Some(LoadedConst::Str(span)) => name_text(loaded.text(span)).into_owned(),
                        _ => konst(i),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => konst(b),
            };
            format!("{a} positional, keywords: {keywords}")
        }
        MAKE_FUNCTION => {
            let target = loaded.code.get(a as usize).map_or(0, |c| c.name);
            let mut parts = vec![format!("code {a} {}", name(target))];
            for (bit, what) in [(1, "defaults"), (2, "kw-defaults"), (4, "closure")] {
                if b & bit != 0 {
                    parts.push(what.to_string());
                }
            }
            parts.join(", ")
        }
        LOAD_DEREF | STORE_DEREF | DELETE_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF => {
            let n_cells = code.cellvars.len();
            let idx = a as usize;
            let name_idx = if idx < n_cells {
                code.cellvars.get(idx)
            } else {
                code.freevars.get(idx - n_cells)
            };
            name_idx.map_or_else(|| a.to_string(), |&n| name(n))
        }
        COPY | SWAP | BUILD_SET | BUILD_STRING | LIST_APPEND | SET_ADD | MAP_ADD | LIST_EXTEND
        | SET_UPDATE | DICT_UPDATE | DICT_MERGE | BUILD_SLICE => a.to_string(),
        UNPACK_EX => format!("{} before, {} after", a & 0xFF, (a >> 8) & 0xFF),
        FORMAT_VALUE => {
            let conversion = ["", "!s", "!r", "!a"][(a & 3) as usize];
            let spec = if a & 4 != 0 { " with spec" } else { "" };
            format!("{conversion}{spec}").trim().to_string()
        }
        CALL_EX => if a & 1 != 0 { "with kwargs" } else { "" }.to_string(),
        LOAD_BUILD_CLASS | YIELD_VALUE | YIELD_FROM | GET_YIELD_FROM_ITER | GET_AWAITABLE
        | GET_AITER | GET_ANEXT | END_ASYNC_FOR | BEFORE_WITH | BEFORE_ASYNC_WITH
        | WITH_EXCEPT_START | IMPORT_STAR | LIST_TO_TUPLE => String::new(),
        JUMP | POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE | JUMP_IF_FALSE_OR_POP
        | JUMP_IF_TRUE_OR_POP | FOR_ITER | FOR_RANGE => format!("-> {a}"),
        POP_TOP | DUP_TOP | DUP_TOP_TWO | ROT_TWO | ROT_THREE | LOAD_NONE | LOAD_TRUE
        | LOAD_FALSE | LOAD_ASSERTION_ERROR | BINARY_SUBSCR | STORE_SUBSCR | DELETE_SUBSCR
        | GET_ITER | RETURN_VALUE | RERAISE | PUSH_EXC_INFO | POP_EXCEPT | CHECK_EXC_MATCH => {
            String::new()
        }
    }
}
