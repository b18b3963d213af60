//! Parser throughput bench (not a test). In: `.py` files or directories named on the command
//! line. Out: bytes parsed, time and MB/s for lexing plus parsing, best of three passes.
//! Run: `cargo run --release -p frost-compiler --example parse_throughput -- DIR_OR_FILES...`

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    let sources: Vec<String> = files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    let mut best = f64::INFINITY;
    let mut failed = 0;
    for _ in 0..3 {
        let start = Instant::now();
        failed = sources
            .iter()
            .filter(|s| frost_compiler::parser::parse(s).is_err())
            .count();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mut lex_best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        let tokens: usize = sources
            .iter()
            .map(|s| frost_compiler::lexer::tokenize(s).tokens.len())
            .sum();
        lex_best = lex_best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(tokens);
    }
    let mb = bytes as f64 / 1e6;
    println!("lexing alone: {:.1} MB/s", mb / lex_best);
    println!(
        "{} files, {mb:.1} MB, {failed} rejected, best of 3: {best:.3} s = {:.1} MB/s",
        sources.len(),
        mb / best
    );
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            collect(&p, out);
        }
    } else if path.extension().is_some_and(|e| e == "py") {
        out.push(path.to_path_buf());
    }
}
