//! Golden images. In: `fixtures/images/v<N>/*.fbc`, each with a `.verdict` file holding `ok` or
//! the `LoadError` text the loader must give. Out: a failure for any image whose verdict changed.
//! Images of every released format version stay, so a runtime keeps refusing (or reading) them.
//!
//! Compiled goldens `compiled_NAME_oN.fbc` come from `compiled_NAME.py` beside them at -ON;
//! the current version's must be what the compiler writes today, byte for byte (determinism).
//!
//! Goldens are written by `FROST_WRITE_GOLDENS=1 cargo test --test image_goldens`, which only
//! creates missing files; committed goldens of a released version never change.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use frost_compiler::{Options, compile};
use frost_runtime::image::format::{self, HEADER_LEN};
use frost_runtime::image::{IMAGE_VERSION, ImageBytes, load};
use frost_tests::images::{LINES, bytes, fix_crc, hello, rich};

fn goldens() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/images")
}

fn verdict(image: &[u8]) -> String {
    match load(ImageBytes::Shared(Rc::from(image))) {
        Ok(_) => "ok".into(),
        Err(e) => e.to_string(),
    }
}

/// The hand-built images of the current version, by file stem.
fn hand_built() -> Vec<(&'static str, Vec<u8>)> {
    let mut truncated = bytes(&hello());
    truncated.truncate(truncated.len() - 3);
    let mut corrupted = bytes(&rich());
    corrupted[HEADER_LEN + 5] ^= 0x40;
    let mut deep = hello();
    deep.code[0].stack_size = 1;
    let mut future = bytes(&hello());
    future[4..6].copy_from_slice(&(IMAGE_VERSION + 1).to_le_bytes());
    let mut off_end = rich();
    off_end.code[1].bytecode = &off_end.code[1].bytecode[..34];
    let mut trailing = bytes(&hello());
    trailing.extend_from_slice(b"\0\0");
    fix_crc(&mut trailing);
    let mut truncated_crc = truncated.clone();
    fix_crc(&mut truncated_crc);
    let no_lines = format::Flags {
        opt_level: 3,
        has_lines: false,
    };
    let mut stripped = rich();
    for code in &mut stripped.code {
        code.line_table = &[];
    }
    vec![
        ("hello", bytes(&hello())),
        ("rich", bytes(&rich())),
        ("rich_no_lines", format::write(&stripped, no_lines)),
        ("lines_without_flag", format::write(&rich(), no_lines)),
        ("truncated", truncated),
        ("truncated_fixed_crc", truncated_crc),
        ("corrupted", corrupted),
        ("stack_too_small", bytes(&deep)),
        ("future_version", future),
        ("falls_off_end", format::write(&off_end, LINES)),
        ("trailing_bytes", trailing),
    ]
}

/// Compiled goldens of the current version: (file stem, source file, opt level).
const COMPILED: [(&str, &str, u8); 4] = [
    ("compiled_for_range_o0", "compiled_for_range.py", 0),
    ("compiled_for_range_o3", "compiled_for_range.py", 3),
    ("compiled_call_keywords_o0", "compiled_call_keywords.py", 0),
    (
        "compiled_fold__expressions_o1",
        "compiled_fold__expressions.py",
        1,
    ),
];

fn compiled(dir: &Path, source: &str, opt_level: u8) -> Vec<u8> {
    let text = std::fs::read_to_string(dir.join(source)).expect("read golden source");
    let options = Options {
        source_name: source.into(),
        opt_level,
        source_lines: true,
    };
    compile(&text, &options)
        .unwrap_or_else(|e| panic!("{source}: {e:?}"))
        .image
}

/// Every golden of the current version, hand-built and compiled, by file stem.
fn current_images(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = hand_built()
        .into_iter()
        .map(|(stem, image)| (stem.to_string(), image))
        .collect();
    for (stem, source, opt) in COMPILED {
        all.push((stem.to_string(), compiled(dir, source, opt)));
    }
    all
}

/// Writes the missing goldens of the current version when `FROST_WRITE_GOLDENS` is set.
fn write_missing() {
    if std::env::var_os("FROST_WRITE_GOLDENS").is_none() {
        return;
    }
    let current = goldens().join(format!("v{IMAGE_VERSION}"));
    std::fs::create_dir_all(&current).expect("create golden dir");
    for (stem, image) in current_images(&current) {
        let path = current.join(format!("{stem}.fbc"));
        if !path.exists() {
            std::fs::write(&path, &image).expect("write golden");
            std::fs::write(path.with_extension("verdict"), verdict(&image) + "\n")
                .expect("write verdict");
        }
    }
}

#[test]
fn goldens_keep_their_verdicts() {
    write_missing();
    let mut checked = 0;
    for version in std::fs::read_dir(goldens()).expect("fixtures/images") {
        let dir = version.expect("dir entry").path();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("version dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "fbc"))
            .collect();
        files.sort();
        for path in files {
            let image = std::fs::read(&path).expect("read golden");
            let expected = std::fs::read_to_string(path.with_extension("verdict"))
                .unwrap_or_else(|_| panic!("{} has no .verdict", path.display()));
            assert_eq!(verdict(&image), expected.trim_end(), "{}", path.display());
            checked += 1;
        }
    }
    assert!(
        checked >= hand_built().len(),
        "only {checked} goldens found"
    );
}

/// The current version's goldens are what the builders and the compiler write today: the
/// format has not moved without a version bump, and compiling is deterministic.
#[test]
fn current_goldens_are_reproduced() {
    write_missing();
    let current = goldens().join(format!("v{IMAGE_VERSION}"));
    for (stem, image) in current_images(&current) {
        let path = current.join(format!("{stem}.fbc"));
        let golden = std::fs::read(&path).unwrap_or_else(|_| panic!("missing {}", path.display()));
        assert!(
            golden == image,
            "{} differs from today's bytes",
            path.display()
        );
    }
}
