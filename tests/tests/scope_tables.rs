//! Scope analysis against CPython. In: `fixtures/scope/tables/NAME.py`, each with `NAME.tables`:
//! one line per code object (name, parameters, other locals, cell and free variables, flags)
//! as CPython 3.11 compiles the program. Out: frost's code objects must give the same lines,
//! and, where `python3` runs, `NAME.tables` must be what CPython gives (`UPDATE_EXPECT=1`
//! writes a missing file from CPython).

use std::path::Path;

use frost_compiler::{Options, compile};
use frost_runtime::image::format::{
    self, CODE_COROUTINE, CODE_GENERATOR, CODE_VARARGS, CODE_VARKEYWORDS,
};
use frost_tests::{fixture_files, fixture_name, python3_available, update_expect, with_ext};

/// Prints the same lines for CPython's code objects (co_varnames, co_cellvars, co_freevars).
const CPYTHON_TABLES: &str = r#"
import sys
top = compile(open(sys.argv[1]).read(), sys.argv[1], "exec")
lines = []
def walk(c):
    flags = [n for bit, n in ((4, "varargs"), (8, "varkeywords"), (0x20, "generator"),
                              (0x80, "coroutine")) if c.co_flags & bit]
    n = c.co_argcount + c.co_kwonlyargcount + bool(c.co_flags & 4) + bool(c.co_flags & 8)
    lines.append("%s | params: %s | locals: %s | cells: %s | free: %s | flags: %s" % (
        c.co_name, ", ".join(c.co_varnames[:n]), ", ".join(sorted(c.co_varnames[n:])),
        ", ".join(sorted(c.co_cellvars)), ", ".join(sorted(c.co_freevars)), ", ".join(flags)))
    for k in c.co_consts:
        if hasattr(k, "co_code"):
            walk(k)
walk(top)
print("\n".join(sorted(lines)))
"#;

/// frost's lines for a program, sorted (code object order differs from CPython's constants).
fn frost_tables(source: &str) -> String {
    let compiled = compile(source, &Options::default()).unwrap_or_else(|e| panic!("{e:?}"));
    let (_, module) = format::read(&compiled.image).unwrap();
    let name = |i: &u32| module.names[*i as usize].to_string();
    let join = |names: &[u32]| names.iter().map(name).collect::<Vec<_>>().join(", ");
    let mut lines: Vec<String> = module
        .code
        .iter()
        .map(|c| {
            let flags: Vec<&str> = [
                (CODE_VARARGS, "varargs"),
                (CODE_VARKEYWORDS, "varkeywords"),
                (CODE_GENERATOR, "generator"),
                (CODE_COROUTINE, "coroutine"),
            ]
            .into_iter()
            .filter(|&(bit, _)| c.flags & bit != 0)
            .map(|(_, n)| n)
            .collect();
            let n = usize::from(c.n_params)
                + usize::from(c.n_kwonly)
                + usize::from(c.flags & CODE_VARARGS != 0)
                + usize::from(c.flags & CODE_VARKEYWORDS != 0);
            let (params, rest) = c.local_names.split_at(n.min(c.local_names.len()));
            let mut rest: Vec<String> = rest.iter().map(name).collect();
            rest.sort();
            let mut cells: Vec<String> = c.cellvars.iter().map(name).collect();
            cells.sort();
            let mut free: Vec<String> = c.freevars.iter().map(name).collect();
            free.sort();
            format!(
                "{} | params: {} | locals: {} | cells: {} | free: {} | flags: {}",
                name(&c.name),
                join(params),
                rest.join(", "),
                cells.join(", "),
                free.join(", "),
                flags.join(", ")
            )
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

fn cpython_tables(path: &Path) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(CPYTHON_TABLES)
        .arg(path)
        .output()
        .unwrap_or_else(|err| panic!("cannot run python3: {err}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn code_object_tables_match_cpython() {
    let programs = fixture_files("scope/tables", "py");
    assert!(
        programs.len() >= 4,
        "too few programs in fixtures/scope/tables"
    );
    let python = python3_available();
    let mut failures = Vec::new();
    for path in &programs {
        let expected_path = with_ext(path, "tables");
        if update_expect() && python && !expected_path.exists() {
            std::fs::write(&expected_path, cpython_tables(path)).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let name = fixture_name(path);
        if python {
            let cpython = cpython_tables(path);
            if cpython != expected {
                failures.push(format!("{name}.tables is not CPython's:\n{cpython}"));
            }
        }
        let source = std::fs::read_to_string(path).unwrap();
        let got = frost_tables(&source);
        if got != expected {
            failures.push(format!("{name}: expected\n{expected}got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
