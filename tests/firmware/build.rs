//! Build script of the test firmware. In: `fixtures/examples/blink.py`. Out: `$OUT_DIR/program.fbc`,
//! the image the firmware embeds, compiled at -O2 by frost's own compiler.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let program = manifest.join("../../fixtures/examples/blink.py");
    println!("cargo::rerun-if-changed={}", program.display());
    let source = std::fs::read_to_string(&program)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", program.display()));
    let options = frost_compiler::Options {
        source_name: "blink.py".into(),
        opt_level: 2,
        source_lines: true,
    };
    let compiled = frost_compiler::compile(&source, &options).unwrap_or_else(|err| {
        panic!(
            "{}",
            frost_compiler::diag::render(&err, &options.source_name, &source)
        )
    });
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("program.fbc");
    std::fs::write(&out, compiled.image)
        .unwrap_or_else(|err| panic!("cannot write {}: {err}", out.display()));
}
