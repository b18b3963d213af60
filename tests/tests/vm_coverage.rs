//! Every opcode runs somewhere. In: the programs of fixtures/run and fixtures/traceback,
//! compiled. Out: a failure naming each opcode the VM executes (the table minus
//! `vm::dispatch::DEFERRED`) that none of them contains, so every instruction the VM
//! implements is exercised end to end by a program with known output.

use std::collections::BTreeSet;
use std::path::Path;

use frost_runtime::image::{ImageBytes, Instr, Opcode, load};
use frost_runtime::vm::dispatch::DEFERRED;

#[test]
fn every_opcode_is_exercised_by_a_fixture_program() {
    let mut seen = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    for dir in ["run", "traceback"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "py") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let Ok(compiled) = frost_compiler::compile(&source, &Default::default()) else {
                continue;
            };
            let loaded = load(ImageBytes::Shared(compiled.image.into())).unwrap();
            for i in 0..loaded.code.len() {
                let code = loaded.bytecode(i);
                let mut pc = 0;
                while pc < code.len() {
                    let (ins, next) = Instr::decode(code, pc).unwrap();
                    seen.insert(ins.op as u8);
                    pc = next;
                }
            }
        }
    }
    let missing: Vec<&str> = Opcode::ALL
        .iter()
        .filter(|op| !DEFERRED.contains(op) && !seen.contains(&(**op as u8)))
        .map(|op| op.name())
        .collect();
    assert!(missing.is_empty(), "no fixture program uses {missing:?}");
}
