//! The verifier's promise, checked against the VM. In: images the compiler makes of
//! `fixtures/dis/*.py`, their code objects mutated deterministically (bytecode bytes replaced,
//! inserted, removed; exception depths and stack sizes changed). Out: every mutant the loader
//! accepts runs in the VM to an ordinary end or a Python exception, never a Rust panic.
//!
//! Only mutants whose jumps and handlers all point forward are run: each frame then ends, and
//! with few frames allowed the whole run ends quickly, so no mutant can hang the test.

use std::panic::{AssertUnwindSafe, catch_unwind};

use frost_runtime::image::format::{self, Flags, ModuleImage};
use frost_runtime::image::{Flow, ImageBytes, Instr};
use frost_runtime::{CapturePort, Config, Vm};
use frost_tests::images::{compiled_dis_fixtures, leak, load_bytes};
use frost_tests::rng::Rng;

const CASES: usize = 200_000;

/// Small limits keep every run short: recursion stops at 8 frames, allocation at 64 KiB.
const LIMITS: Config = Config {
    heap_size: 64 * 1024,
    max_frames: 8,
    stack_values: 4096,
    opt_level: 0,
    schedule_depth: 8,
};

fn mutate(module: &mut ModuleImage<'_>, rng: &mut Rng) {
    let c = rng.below(module.code.len());
    let code = &mut module.code[c];
    let mut bytecode = code.bytecode.to_vec();
    for _ in 0..1 + rng.below(3) {
        match rng.below(6) {
            0..=2 if !bytecode.is_empty() => {
                let at = rng.below(bytecode.len());
                bytecode[at] = rng.next_u64() as u8;
            }
            3 => {
                let at = rng.below(bytecode.len() + 1);
                bytecode.insert(at, rng.next_u64() as u8);
            }
            4 if !bytecode.is_empty() => {
                bytecode.remove(rng.below(bytecode.len()));
            }
            _ if !code.exc_table.is_empty() => {
                let k = rng.below(code.exc_table.len());
                code.exc_table[k].depth = rng.below(3) as u16;
            }
            _ => code.stack_size = rng.below(8) as u16,
        }
    }
    code.bytecode = leak(bytecode);
    // Offsets moved, so the line table would only be refused; drop it.
    code.line_table = &[];
}

/// Whether every jump and handler of every code object points past its source.
fn forward_only(module: &ModuleImage<'_>) -> bool {
    module.code.iter().all(|code| {
        let mut pc = 0;
        while let Ok((instr, next)) = Instr::decode(code.bytecode, pc) {
            let jumps = matches!(instr.op.flow(), Flow::Jump | Flow::Branch);
            if jumps && instr.a() as usize <= pc {
                return false;
            }
            pc = next;
        }
        code.exc_table.iter().all(|e| e.handler >= e.end)
    })
}

#[test]
fn accepted_mutants_run_without_panic() {
    let originals = compiled_dis_fixtures();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let (mut accepted, mut ran, mut panicked) = (0usize, 0usize, Vec::new());
    for case in 0..CASES {
        let original = &originals[case % originals.len()];
        let (flags, mut module) = format::read(original).expect("fixture image reads");
        mutate(&mut module, &mut rng);
        let no_lines = Flags {
            opt_level: flags.opt_level,
            has_lines: false,
        };
        let image = format::write(&module, no_lines);
        if load_bytes(&image).is_err() {
            continue;
        }
        accepted += 1;
        if !forward_only(&module) {
            continue;
        }
        ran += 1;
        let run = catch_unwind(AssertUnwindSafe(|| {
            let mut vm = Vm::new(CapturePort::default(), LIMITS);
            let _ = vm.run_main(ImageBytes::Shared(image.clone().into()));
        }));
        if run.is_err() {
            panicked.push(case);
        }
    }
    println!("{CASES} mutants: {accepted} accepted, {ran} run in the VM");
    assert!(
        panicked.is_empty(),
        "the VM panicked on mutants {panicked:?}"
    );
    assert!(ran > CASES / 50, "only {ran} mutants ran");
}
