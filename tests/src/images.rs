//! Hand-built images for the loader, mutation, golden and disassembly tests. In: nothing. Out:
//! `ModuleImage` values made with a tiny label assembler, and their bytes from `format::write`.
//! No compiler involved, so these tests stand on the image format alone. Also the loading
//! funnel the loader tests share (`check`, `refused`).

use std::rc::Rc;

use frost_compiler::{Options, compile};

use frost_runtime::image::format::{self, CodeObject, Const, ExcEntry, Flags, ModuleImage};
use frost_runtime::image::{
    Args, BinaryOp, CODE_MODULE, ImageBytes, Instr, LoadError, Loaded, Opcode, load,
};

/// One line of assembly: an instruction, a label, or a jump to a label.
#[derive(Clone)]
pub enum Asm {
    I(Opcode, Args),
    Label(&'static str),
    Jump(Opcode, &'static str),
}

/// `Asm::I` with no operand.
pub fn op(o: Opcode) -> Asm {
    Asm::I(o, Args::None)
}

/// `Asm::I` with one operand.
pub fn op1(o: Opcode, a: u32) -> Asm {
    Asm::I(o, Args::One(a))
}

/// `Asm::I` with two operands.
pub fn op2(o: Opcode, a: u32, b: u32) -> Asm {
    Asm::I(o, Args::Two(a, b))
}

/// Assembled code: the bytes and each label's offset.
pub struct Assembled {
    pub bytes: &'static [u8],
    pub labels: Vec<(&'static str, u16)>,
}

impl Assembled {
    /// The offset of a label.
    pub fn at(&self, label: &str) -> u16 {
        self.labels
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, o)| *o)
            .unwrap_or_else(|| panic!("no label {label}"))
    }
}

/// Assembles in two passes (jumps are always 3 bytes, so the first pass knows every offset).
pub fn asm(items: &[Asm]) -> Assembled {
    let mut labels = Vec::new();
    let mut offset = 0usize;
    for item in items {
        match item {
            Asm::I(o, a) => offset += Instr::new(*o, *a).encoded_len(),
            Asm::Label(l) => labels.push((*l, offset as u16)),
            Asm::Jump(..) => offset += 3,
        }
    }
    let find = |l: &str| labels.iter().find(|(n, _)| *n == l).map(|(_, o)| *o);
    let mut out = Vec::new();
    for item in items {
        match item {
            Asm::I(o, a) => Instr::new(*o, *a).encode(&mut out),
            Asm::Label(_) => {}
            Asm::Jump(o, l) => {
                let target = find(l).unwrap_or_else(|| panic!("no label {l}"));
                Instr::new(*o, Args::One(u32::from(target))).encode(&mut out);
            }
        }
    }
    Assembled {
        bytes: leak(out),
        labels,
    }
}

/// Test images live for the whole test; leaking keeps `ModuleImage<'static>` simple.
pub fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Box::leak(bytes.into_boxed_slice())
}

/// A line table from (offset delta, line delta) pairs.
pub fn lines(pairs: &[(u32, u32)]) -> &'static [u8] {
    let mut out = Vec::new();
    for &(o, l) in pairs {
        frost_runtime::image::opcode::write_varuint(&mut out, o);
        frost_runtime::image::opcode::write_varuint(&mut out, l);
    }
    leak(out)
}

/// A code object with no locals and no exception table.
pub fn code(
    name: u32,
    flags: u32,
    stack_size: u16,
    bytecode: &'static [u8],
) -> CodeObject<'static> {
    CodeObject {
        name,
        flags,
        n_params: 0,
        n_kwonly: 0,
        n_locals: 0,
        stack_size,
        local_names: Vec::new(),
        cellvars: Vec::new(),
        freevars: Vec::new(),
        bytecode,
        line_table: &[],
        exc_table: Vec::new(),
    }
}

/// Flags of an -O0 image with line tables.
pub const LINES: Flags = Flags {
    opt_level: 0,
    has_lines: true,
};

/// `print('hello')`: the smallest useful module.
pub fn hello() -> ModuleImage<'static> {
    let body = asm(&[
        op1(Opcode::LOAD_NAME, 1),
        op1(Opcode::LOAD_CONST, 0),
        op1(Opcode::CALL, 1),
        op(Opcode::POP_TOP),
        op(Opcode::LOAD_NONE),
        op(Opcode::RETURN_VALUE),
    ]);
    let mut module = code(0, CODE_MODULE, 2, body.bytes);
    module.line_table = lines(&[(6, 1)]);
    ModuleImage {
        source_name: "hello.py",
        names: vec!["<module>", "print"],
        consts: vec![Const::Str("hello")],
        code: vec![module],
    }
}

/// Names of `rich()`, by index.
pub const RICH_NAMES: [&str; 9] = [
    "<module>",
    "f",
    "a",
    "b",
    "x",
    "i",
    "ZeroDivisionError",
    "print",
    "math",
];

/// A module exercising most verifier paths: a function with a default, a keyword call, a
/// for-range loop, try/except with a re-raise, every constant kind, an import.
pub fn rich() -> ModuleImage<'static> {
    use Opcode::*;
    let body = asm(&[
        op1(LOAD_CONST, 0),
        op2(MAKE_FUNCTION, 1, 1),
        op1(STORE_NAME, 1),
        op1(LOAD_NAME, 1),
        Asm::I(LOAD_SMALL_INT, Args::Int(1)),
        Asm::I(LOAD_SMALL_INT, Args::Int(2)),
        op2(CALL_KW, 1, 2),
        op(POP_TOP),
        Asm::I(LOAD_SMALL_INT, Args::Int(0)),
        Asm::I(LOAD_SMALL_INT, Args::Int(-10)),
        op1(GET_RANGE, 2),
        Asm::Label("loop"),
        Asm::Jump(FOR_RANGE, "end"),
        op1(STORE_NAME, 5),
        op1(LOAD_NAME, 7),
        op1(LOAD_CONST, 6),
        op1(CALL, 1),
        op(POP_TOP),
        Asm::Jump(JUMP, "loop"),
        Asm::Label("end"),
        op(LOAD_NONE),
        op2(IMPORT_NAME, 8, 0),
        op1(STORE_NAME, 8),
        op(LOAD_NONE),
        op(RETURN_VALUE),
    ]);
    let f = asm(&[
        Asm::Label("try"),
        op1(LOAD_FAST, 0),
        op1(LOAD_FAST, 1),
        op1(BINARY_OP, BinaryOp::TrueDiv as u32),
        op1(STORE_FAST, 2),
        Asm::Label("try_end"),
        Asm::Jump(JUMP, "after"),
        Asm::Label("handler"),
        op(PUSH_EXC_INFO),
        op1(LOAD_GLOBAL, 6),
        op(CHECK_EXC_MATCH),
        Asm::Jump(POP_JUMP_IF_FALSE, "reraise"),
        op(POP_TOP),
        op(POP_EXCEPT),
        Asm::I(LOAD_SMALL_INT, Args::Int(-1)),
        op1(STORE_FAST, 2),
        Asm::Jump(JUMP, "after"),
        Asm::Label("reraise"),
        op(RERAISE),
        Asm::Label("after"),
        op1(LOAD_FAST, 2),
        op1(LOAD_CONST, 7),
        op1(BUILD_TUPLE, 2),
        op(RETURN_VALUE),
    ]);
    let mut module = code(0, CODE_MODULE, 5, body.bytes);
    module.line_table = lines(&[(0, 1), (9, 4), (12, 1), (15, 2)]);
    let mut func = code(1, 0, 3, f.bytes);
    func.n_params = 2;
    func.n_locals = 3;
    func.local_names = vec![2, 3, 4];
    func.line_table = lines(&[(0, 1), (f.at("handler").into(), 2)]);
    func.exc_table = vec![ExcEntry {
        start: f.at("try"),
        end: f.at("try_end"),
        handler: f.at("handler"),
        depth: 0,
    }];
    ModuleImage {
        source_name: "rich.py",
        names: RICH_NAMES.to_vec(),
        consts: vec![
            Const::Int(5),
            Const::Str("b"),
            Const::Tuple(vec![1]),
            Const::Float(1.5f64.to_bits()),
            // 2**64: nine bytes, the top one zero because the one below has its sign bit set.
            Const::BigInt(&[0, 0, 0, 0, 0, 0, 0, 0, 1]),
            Const::Bytes(b"\x00ab'"),
            Const::Tuple(vec![0, 3, 4, 5]),
            Const::Str("it's"),
            Const::Int(i64::MIN),
            Const::Float((-0.0f64).to_bits()),
            Const::Ellipsis,
        ],
        code: vec![module, func],
    }
}

/// The bytes of an image.
pub fn bytes(module: &ModuleImage<'_>) -> Vec<u8> {
    format::write(module, LINES)
}

/// Recomputes the CRC of possibly modified image bytes, so a change reaches the decoder.
pub fn fix_crc(bytes: &mut [u8]) {
    if bytes.len() < format::HEADER_LEN {
        return;
    }
    let crc = crc32(bytes);
    bytes[8..12].copy_from_slice(&crc.to_le_bytes());
}

/// CRC-32/ISO-HDLC of bytes 0..8 and 12.., as the header stores it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes[..8].iter().chain(&bytes[format::HEADER_LEN..]) {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Loads image bytes as the VM would.
pub fn load_bytes(b: &[u8]) -> Result<Loaded, LoadError> {
    load(ImageBytes::Shared(Rc::from(b)))
}

/// The one funnel: writes the module and checks what loading it gives.
pub fn check(module: &ModuleImage<'_>, expected: Result<(), LoadError>) {
    let got = load_bytes(&bytes(module)).map(|_| ());
    assert_eq!(got, expected);
}

/// `check` for an image that must be refused with `expected`.
pub fn refused(module: &ModuleImage<'_>, expected: LoadError) {
    check(module, Err(expected));
}

/// `hello()`'s tables with the module body replaced.
pub fn module_with(items: &[Asm], stack_size: u16) -> ModuleImage<'static> {
    let mut m = hello();
    m.code[0] = code(0, CODE_MODULE, stack_size, asm(items).bytes);
    m
}

/// `rich()` with its function's bytecode replaced (params a, b; locals a, b, x).
pub fn function_with(items: &[Asm], stack_size: u16) -> ModuleImage<'static> {
    let mut m = rich();
    let f = &mut m.code[1];
    f.bytecode = asm(items).bytes;
    f.stack_size = stack_size;
    f.line_table = &[];
    f.exc_table.clear();
    m
}

/// Images the compiler makes of `fixtures/dis/*.py`, at -O0 and -O3: real code shapes.
pub fn compiled_dis_fixtures() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dis");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/dis")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    let mut images = Vec::new();
    for path in paths {
        let source = std::fs::read_to_string(&path).expect("read fixture");
        for opt_level in [0, 3] {
            let options = Options {
                source_name: "fixture.py".into(),
                opt_level,
                source_lines: true,
            };
            let compiled = compile(&source, &options).expect("fixture compiles");
            images.push(compiled.image);
        }
    }
    assert!(images.len() >= 10);
    images
}
