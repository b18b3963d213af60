//! Vector files: cases recorded from CPython by a `gen.py` beside them. In: a fixtures folder
//! and a file name. Out: the tab-separated cases with their line numbers, and one report that
//! fails listing every case that differs.

use std::path::PathBuf;

/// The tab-separated cases of `fixtures/<dir>/<name>`, without comments or blank lines; each
/// with its 1-based line number. Fails when the file is missing or nearly empty.
pub fn cases(dir: &str, name: &str) -> Vec<(usize, Vec<String>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures")
        .join(dir)
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{dir}/{name}: {e}"));
    let cases: Vec<_> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line.split('\t').map(str::to_owned).collect()))
        .collect();
    assert!(cases.len() > 10, "{dir}/{name} has too few cases");
    cases
}

/// Fails with every differing case listed (up to a screenful).
pub fn report(name: &str, total: usize, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{name}: {} of {total} cases differ from CPython:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
