//! Ctrl-C on a real `frost run` child process (here, not in tests/, because only the cli
//! crate's own tests get `CARGO_BIN_EXE_frost`). In: a looping program and SIGINT sent with
//! `kill -INT`. Out: KeyboardInterrupt's traceback and exit status 130; with
//! `kbd_intr(-1)` SIGINT is not caught and the process exits at once with 130, silently.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn script(name: &str, source: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("frost-sigint-{}-{name}.py", std::process::id()));
    std::fs::write(&path, source).unwrap();
    path
}

/// Runs the program until it prints its first line, sends SIGINT, returns (status, stderr).
fn interrupt(name: &str, source: &str) -> (Option<i32>, String) {
    let path = script(name, source);
    let mut child = Command::new(env!("CARGO_BIN_EXE_frost"))
        .arg("run")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "start\n");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let _ = std::fs::remove_file(path);
    (status.code(), stderr)
}

#[test]
fn sigint_raises_keyboard_interrupt_and_exits_130() {
    let source = "import time\nprint('start')\ntime.sleep_ms(1)\nn = 0\nwhile True:\n    n += 1\n";
    let (status, stderr) = interrupt("loop", source);
    assert_eq!(status, Some(130));
    assert!(
        stderr.starts_with("Traceback (most recent call last):\n"),
        "{stderr}"
    );
    assert!(stderr.ends_with("KeyboardInterrupt: \n"), "{stderr}");
}

#[test]
fn sigint_is_caught_by_the_program() {
    let source = "import time\nprint('start')\ntry:\n    while True:\n        time.sleep_ms(5)\n\
                  except KeyboardInterrupt:\n    print('caught')\n";
    let path = script("caught", source);
    let mut child = Command::new(env!("CARGO_BIN_EXE_frost"))
        .arg("run")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let _ = std::fs::remove_file(path);
    assert_eq!((status.code(), rest.as_str()), (Some(0), "caught\n"));
}

#[test]
fn with_kbd_intr_disabled_sigint_exits_at_once() {
    let source = "import micropython, time\nmicropython.kbd_intr(-1)\nprint('start')\ntime.sleep_ms(1)\n\
                  while True:\n    pass\n";
    let (status, stderr) = interrupt("disabled", source);
    assert_eq!((status, stderr.as_str()), (Some(130), ""));
}
