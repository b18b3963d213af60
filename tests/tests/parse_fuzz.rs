//! The parser never panics. In: deterministic pseudo-random mutations (byte flips,
//! truncations, deletions, inserted brackets, quotes, indentation and line ends) of every
//! fixture source, plus pathological nesting. Out: `parse` returns, and every error has a span
//! inside the source and renders with its message.

use std::path::{Path, PathBuf};

use frost_compiler::diag::render;
use frost_compiler::parser::parse;

/// Mutants per run: enough to reach the lexer's and parser's error paths, quick in debug builds.
const MUTANTS: usize = 4000;

/// Snippets inserted by mutation: the tokens that change structure the most.
const SNIPPETS: [&str; 38] = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "'''",
    "\"\"\"",
    "\\",
    "\\\n",
    "\n",
    "\r\n",
    "\r",
    "    ",
    "\t",
    "#",
    ":",
    ",",
    "=",
    "**",
    "0x",
    "1e",
    "é€",
    "\u{feff}",
    "f'{",
    "f\"{x!r:{",
    "}",
    "*",
    ":=",
    "lambda ",
    "yield ",
    "await ",
    "async ",
    " for x in ",
    "@",
    "1j",
];

/// xorshift64: a tiny deterministic generator, so failures reproduce exactly.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let sources = fixture_sources();
    assert!(!sources.is_empty(), "no fixtures found");
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut errors) = (0, 0);
    for _ in 0..MUTANTS {
        let mut bytes = sources[rng.below(sources.len())].clone().into_bytes();
        for _ in 0..=rng.below(3) {
            mutate(&mut bytes, &mut rng);
        }
        let source = String::from_utf8_lossy(&bytes).into_owned();
        if check(&source) {
            ok += 1;
        } else {
            errors += 1;
        }
    }
    // Both outcomes must occur, or the mutations are not reaching the parser's decisions.
    assert!(ok > 0 && errors > 0, "ok {ok}, errors {errors}");
}

#[test]
fn pathological_nesting_is_an_error_not_a_crash() {
    let deep = [
        "(".repeat(10_000),
        format!("x = {}1{}", "(".repeat(199), ")".repeat(199)),
        format!("x = {}1{}", "[".repeat(150), "]".repeat(150)),
        format!("x = {}1", "-".repeat(100_000)),
        format!("x = {}y", "not ".repeat(10_000)),
        format!("x = {}2", "2**".repeat(10_000)),
        format!("x = {}c", "a if b else ".repeat(10_000)),
        format!("x = f{}", "(1)".repeat(100_000)),
        format!("x = {}1", "1 + ".repeat(100_000)),
        format!("x = {}1 $", "1 + ".repeat(100_000)),
        format!("x = {}1", "lambda: ".repeat(10_000)),
        format!("x = {}1", "lambda x=".repeat(10_000)),
        format!("x = {}x{}", "[".repeat(150), " for x in y]".repeat(150)),
        format!("x = f'{{{}1{}}}'", "(".repeat(150), ")".repeat(150)),
        format!("x = {}1", "{**".repeat(150)),
        (0..150)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect::<String>(),
    ];
    for source in &deep {
        assert!(!check(source), "parsed: {:.60}", source);
    }
}

/// Parses one source; returns whether it parsed. Errors must have sane spans and render.
fn check(source: &str) -> bool {
    match parse(source) {
        Ok(_) => true,
        Err(e) => {
            let len = source.len() as u32;
            assert!(
                e.span.start <= e.span.end && e.span.end <= len,
                "span {:?} outside source of {len} bytes: {source:?}",
                e.span
            );
            let text = render(&e, "fuzz.py", source);
            assert!(text.ends_with(&format!("{}: {}\n", e.kind, e.message)));
            false
        }
    }
}

fn mutate(bytes: &mut Vec<u8>, rng: &mut XorShift) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(5) {
        0 if !bytes.is_empty() => {
            let i = rng.below(bytes.len());
            bytes[i] ^= 1 << rng.below(8);
        }
        1 => bytes.truncate(at),
        2 => {
            let end = (at + rng.below(16)).min(bytes.len());
            bytes.drain(at..end);
        }
        _ => {
            let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
            bytes.splice(at..at, snippet.bytes());
        }
    }
}

fn fixture_sources() -> Vec<String> {
    let mut paths = Vec::new();
    collect_py(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures"),
        &mut paths,
    );
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_py(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}
