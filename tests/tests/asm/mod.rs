//! A small text assembler for hand-built images, used by tests until they can compile
//! source. In: assembly text. Out: image bytes (`image::format::write`).
//!
//! ```text
//! code <module>                 # first code object: the module body
//! code f params=a,b locals=t    # a function; locals after the parameters
//! code g params=n flags=gen      # flags: gen, coro, class (CODE_GENERATOR, _COROUTINE, _CLASS_BODY)
//! .line 3                       # line of the following instructions
//! loop:                         # a label
//!   LOAD_FAST a                 # locals, names, constants and labels by their text
//!   LOAD_CONST 'two words'      # str, int, float, None/True/False, b'..', (1, 'a')
//!   BINARY_OP +                 # operators by symbol
//!   CALL_KW 1 b                 # positional count, then keyword names
//!   MAKE_FUNCTION f 1           # code object by name, number of defaults
//! .try start end handler 0      # exception table entry: labels and depth
//! ```

use frost_runtime::image::opcode::write_varuint;
use frost_runtime::image::{
    Args, BinaryOp, CODE_CLASS_BODY, CODE_COROUTINE, CODE_GENERATOR, CODE_MODULE, CodeObject,
    CompareOp, Const, ExcEntry, Flags, Instr, Layout, ModuleImage, Opcode, UnaryOp,
};
use std::collections::HashMap;

#[derive(Default)]
struct CodeBuf {
    name: String,
    params: Vec<String>,
    flags: u32,
    locals: Vec<String>,
    bytes: Vec<u8>,
    lines: Vec<(u32, u32)>,
    labels: HashMap<String, u16>,
    fixups: Vec<(usize, String)>,
    tries: Vec<[String; 3]>,
    try_depths: Vec<u16>,
    instrs: Vec<(usize, Instr, u32)>,
}

/// Assembles `src` into image bytes named `source_name`.
pub fn assemble(src: &str, source_name: &str) -> Vec<u8> {
    let mut names: Vec<String> = Vec::new();
    let mut consts: Vec<Const<'static>> = Vec::new();
    let mut codes: Vec<CodeBuf> = Vec::new();
    let mut line = 1u32;
    let code_names: Vec<String> = src
        .lines()
        .filter_map(|l| l.trim().strip_prefix("code "))
        .map(|r| r.split_whitespace().next().unwrap().to_string())
        .collect();
    let name_idx = |names: &mut Vec<String>, n: &str| -> u32 {
        if let Some(i) = names.iter().position(|x| x == n) {
            return i as u32;
        }
        names.push(n.to_string());
        (names.len() - 1) as u32
    };
    for raw in src.lines() {
        let text = raw.split(" #").next().unwrap_or("").trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if let Some(rest) = text.strip_prefix("code ") {
            let mut parts = rest.split_whitespace();
            let mut c = CodeBuf {
                name: parts.next().unwrap().to_string(),
                ..CodeBuf::default()
            };
            for p in parts {
                let (k, v) = p.split_once('=').unwrap();
                let list: Vec<String> = v
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                match k {
                    "params" => c.params = list,
                    "locals" => c.locals = list,
                    "flags" => {
                        c.flags = match v {
                            "gen" => CODE_GENERATOR,
                            "coro" => CODE_COROUTINE,
                            "class" => CODE_CLASS_BODY,
                            _ => panic!("bad flags {v}"),
                        }
                    }
                    _ => panic!("bad code attribute {k}"),
                }
            }
            line = 1;
            codes.push(c);
            continue;
        }
        let c = codes.last_mut().expect("instruction before `code`");
        if let Some(l) = text.strip_prefix(".line ") {
            line = l.trim().parse().unwrap();
            continue;
        }
        if let Some(t) = text.strip_prefix(".try ") {
            let p: Vec<&str> = t.split_whitespace().collect();
            c.tries.push([p[0].into(), p[1].into(), p[2].into()]);
            c.try_depths.push(p[3].parse().unwrap());
            continue;
        }
        if let Some(label) = text.strip_suffix(':') {
            c.labels.insert(label.to_string(), c.bytes.len() as u16);
            continue;
        }
        let (mnemonic, operand) = text.split_once(' ').unwrap_or((text, ""));
        let operand = operand.trim();
        let op = *Opcode::ALL
            .iter()
            .find(|o| o.name() == mnemonic)
            .unwrap_or_else(|| panic!("unknown opcode {mnemonic}"));
        let all_locals: Vec<String> = c.params.iter().chain(c.locals.iter()).cloned().collect();
        let local = |n: &str| {
            all_locals
                .iter()
                .position(|x| x == n)
                .unwrap_or_else(|| panic!("no local {n}")) as u32
        };
        let mut kw_count = 0;
        let args = match op.layout() {
            Layout::None => Args::None,
            Layout::I => Args::Int(operand.parse().unwrap()),
            Layout::J => {
                c.fixups.push((c.bytes.len() + 1, operand.to_string()));
                Args::One(0)
            }
            Layout::B => Args::One(match op {
                Opcode::BINARY_OP | Opcode::INPLACE_OP => (0..13u8)
                    .find(|b| BinaryOp::from_u8(*b).unwrap().symbol() == operand)
                    .unwrap_or_else(|| panic!("bad operator {operand}"))
                    as u32,
                Opcode::UNARY_OP => (0..4u8)
                    .find(|b| UnaryOp::from_u8(*b).unwrap().symbol() == operand)
                    .unwrap() as u32,
                Opcode::COMPARE_OP => (0..10u8)
                    .find(|b| CompareOp::from_u8(*b).unwrap().symbol() == operand)
                    .unwrap() as u32,
                _ => operand.parse().unwrap(),
            }),
            Layout::U => Args::One(match op {
                Opcode::LOAD_CONST => const_idx(&mut consts, operand),
                Opcode::LOAD_FAST | Opcode::STORE_FAST | Opcode::DELETE_FAST => local(operand),
                Opcode::LOAD_NAME
                | Opcode::STORE_NAME
                | Opcode::DELETE_NAME
                | Opcode::LOAD_GLOBAL
                | Opcode::STORE_GLOBAL
                | Opcode::DELETE_GLOBAL
                | Opcode::LOAD_ATTR
                | Opcode::STORE_ATTR
                | Opcode::DELETE_ATTR
                | Opcode::LOAD_METHOD
                | Opcode::IMPORT_FROM => name_idx(&mut names, operand),
                _ => operand.parse().unwrap(),
            }),
            Layout::UU => {
                let p: Vec<&str> = operand.split_whitespace().collect();
                match op {
                    Opcode::MAKE_FUNCTION => Args::Two(
                        code_names.iter().position(|x| x == p[0]).unwrap() as u32,
                        p[1].parse().unwrap(),
                    ),
                    Opcode::IMPORT_NAME => Args::Two(
                        name_idx(&mut names, p[0]),
                        p.get(1).map_or(0, |x| x.parse().unwrap()),
                    ),
                    _ => {
                        kw_count = p.len() - 1;
                        let lit = format!(
                            "({})",
                            p[1..]
                                .iter()
                                .map(|k| format!("'{k}'"))
                                .collect::<Vec<_>>()
                                .join(", ")
                                + if kw_count == 1 { "," } else { "" }
                        );
                        Args::Two(p[0].parse().unwrap(), const_idx(&mut consts, &lit))
                    }
                }
            }
        };
        let at = c.bytes.len();
        let ins = Instr::new(op, args);
        c.instrs.push((at, ins, kw_count as u32));
        ins.encode(&mut c.bytes);
        if c.lines.last().map_or(line > 1, |(_, l)| *l < line) {
            c.lines.push((at as u32, line));
        }
    }
    let mut out = Vec::new();
    for (ci, c) in codes.iter_mut().enumerate() {
        let patched = c.instrs.clone();
        let mut bytes = c.bytes.clone();
        for (at, label) in &c.fixups {
            let t = *c
                .labels
                .get(label)
                .unwrap_or_else(|| panic!("no label {label}"));
            bytes[*at..*at + 2].copy_from_slice(&t.to_le_bytes());
        }
        let exc: Vec<ExcEntry> = c
            .tries
            .iter()
            .zip(&c.try_depths)
            .map(|(l, d)| ExcEntry {
                start: c.labels[&l[0]],
                end: c.labels[&l[1]],
                handler: c.labels[&l[2]],
                depth: *d,
            })
            .collect();
        let decoded: Vec<(usize, Instr, u32)> = patched
            .iter()
            .map(|(at, _, kw)| (*at, Instr::decode(&bytes, *at).unwrap().0, *kw))
            .collect();
        let stack_size = max_depth(&decoded, &exc, bytes.len());
        let mut line_table = Vec::new();
        let (mut lo, mut ll) = (0u32, 1u32);
        for (off, l) in &c.lines {
            write_varuint(&mut line_table, off - lo);
            write_varuint(&mut line_table, l - ll);
            lo = *off;
            ll = *l;
        }
        let n_locals = (c.params.len() + c.locals.len()) as u16;
        let local_names = c
            .params
            .iter()
            .chain(c.locals.iter())
            .map(|n| name_idx(&mut names, n))
            .collect();
        let name = name_idx(&mut names, &c.name);
        out.push((
            name,
            ci,
            n_locals,
            local_names,
            bytes,
            line_table,
            exc,
            stack_size,
            c.params.len() as u16,
            c.flags,
        ));
    }
    let leaked_names: Vec<&'static str> = names
        .iter()
        .map(|n| &*Box::leak(n.clone().into_boxed_str()))
        .collect();
    let code: Vec<CodeObject<'static>> = out
        .into_iter()
        .map(
            |(name, ci, n_locals, local_names, bytes, lt, exc, stack_size, n_params, flags)| {
                CodeObject {
                    name,
                    flags: if ci == 0 { CODE_MODULE } else { flags },
                    n_params,
                    n_kwonly: 0,
                    cellvars: Vec::new(),
                    freevars: Vec::new(),
                    n_locals,
                    stack_size,
                    local_names,
                    bytecode: Box::leak(bytes.into_boxed_slice()),
                    line_table: Box::leak(lt.into_boxed_slice()),
                    exc_table: exc,
                }
            },
        )
        .collect();
    let module = ModuleImage {
        source_name: Box::leak(source_name.to_string().into_boxed_str()),
        names: leaked_names,
        consts,
        code,
    };
    frost_runtime::image::format::write(
        &module,
        Flags {
            opt_level: 0,
            has_lines: true,
        },
    )
}

fn max_depth(instrs: &[(usize, Instr, u32)], exc: &[ExcEntry], len: usize) -> u16 {
    let mut depth_at: HashMap<usize, i64> = HashMap::new();
    let mut work = vec![(0usize, 0i64)];
    for e in exc {
        work.push((e.handler as usize, e.depth as i64 + 1));
    }
    let mut max = 0;
    while let Some((at, d)) = work.pop() {
        if at >= len || depth_at.get(&at).is_some_and(|x| *x >= d) {
            continue;
        }
        depth_at.insert(at, d);
        let Some(idx) = instrs.iter().position(|(o, _, _)| *o == at) else {
            continue;
        };
        let (_, ins, kw) = instrs[idx];
        let (pops, next, branch) = ins.stack_effect();
        let base = d - pops as i64 - i64::from(kw);
        max = max.max(d).max(base + next as i64).max(base + branch as i64);
        use frost_runtime::image::Flow;
        match ins.op.flow() {
            Flow::Next => work.push((instrs.get(idx + 1).map_or(len, |x| x.0), base + next as i64)),
            Flow::Jump => work.push((ins.a() as usize, base + branch as i64)),
            Flow::Branch => {
                work.push((instrs.get(idx + 1).map_or(len, |x| x.0), base + next as i64));
                work.push((ins.a() as usize, base + branch as i64));
            }
            Flow::Exit => {}
        }
    }
    max as u16
}

fn const_idx(consts: &mut Vec<Const<'static>>, lit: &str) -> u32 {
    let c = parse_const(consts, lit.trim());
    if let Some(i) = consts.iter().position(|x| *x == c) {
        return i as u32;
    }
    consts.push(c);
    (consts.len() - 1) as u32
}

fn parse_const(consts: &mut Vec<Const<'static>>, lit: &str) -> Const<'static> {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
    match lit {
        "None" => return Const::None,
        "True" => return Const::True,
        "False" => return Const::False,
        "..." => return Const::Ellipsis,
        _ => {}
    }
    if let Some(inner) = lit.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        let items: Vec<u32> = inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| const_idx(consts, s))
            .collect();
        return Const::Tuple(items);
    }
    if let Some(s) = lit.strip_prefix("b'").and_then(|s| s.strip_suffix('\'')) {
        return Const::Bytes(Box::leak(s.as_bytes().to_vec().into_boxed_slice()));
    }
    if let Some(s) = lit.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Const::Str(leak(&s.replace("\\n", "\n")));
    }
    if let Ok(i) = lit.parse::<i64>() {
        return Const::Int(i);
    }
    if let Ok(f) = lit.parse::<f64>() {
        return Const::Float(f.to_bits());
    }
    panic!("bad constant {lit}")
}
