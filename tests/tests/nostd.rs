//! The no_std proof. In: the `tests/firmware/` crate (frost-runtime with `core` + `alloc`
//! only, an allocator over a static array, output through libc). Out: it builds with the
//! `firmware` profile, runs the embedded `fixtures/examples/blink.py` with the expected output,
//! and its symbols show nothing of std.

use std::path::PathBuf;
use std::process::Command;

use frost_tests::repo_root;

/// A target directory of its own, so this build does not wait on the test run's lock.
fn target_dir() -> PathBuf {
    repo_root().join("target").join("firmware-check")
}

fn build_firmware() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "-p",
            "frost-firmware",
            "--profile",
            "firmware",
            "--features",
            "firmware",
        ])
        .env("CARGO_TARGET_DIR", target_dir())
        .current_dir(repo_root())
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "firmware build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target_dir().join("firmware").join("frost-firmware")
}

#[test]
fn firmware_without_std_runs_the_embedded_program() {
    let binary = build_firmware();
    let out = Command::new(&binary).output().expect("run the firmware");
    let expected = std::fs::read_to_string(repo_root().join("fixtures/examples/blink.exp"))
        .expect("fixtures/examples/blink.exp");
    assert!(
        out.status.success(),
        "firmware exited with {:?}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    assert!(out.stderr.is_empty());

    let Ok(nm) = Command::new("nm").arg("-C").arg(&binary).output() else {
        eprintln!("nm not found: symbol check skipped");
        return;
    };
    let symbols = String::from_utf8_lossy(&nm.stdout);
    assert!(nm.status.success(), "nm failed");
    assert!(
        symbols.contains("frost_runtime"),
        "the runtime is not in the binary"
    );
    let std_symbols: Vec<&str> = symbols
        .lines()
        .filter(|line| line.contains(" std::") || line.contains("<std::"))
        .collect();
    assert!(
        std_symbols.is_empty(),
        "std symbols linked:\n{}",
        std_symbols.join("\n")
    );

    // What it needs from libc: output, abort, memory primitives. A std binary would also
    // import malloc (the system allocator) and pthread functions (threads, TLS keys).
    let undefined = Command::new("nm")
        .arg("-u")
        .arg(&binary)
        .output()
        .expect("nm -u");
    let imported = String::from_utf8_lossy(&undefined.stdout);
    let from_std: Vec<&str> = imported
        .lines()
        .filter(|l| l.contains("malloc") || l.contains("pthread_") || l.contains("dlsym"))
        .collect();
    assert!(
        from_std.is_empty(),
        "imports std would need:\n{}",
        from_std.join("\n")
    );
    assert!(
        imported.contains(" write"),
        "output does not go through libc write"
    );
}
