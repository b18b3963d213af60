//! The `frost` command line, driven in process through `frost_cli::run`. In: argument lists,
//! stdin bytes and small programs in a temporary directory. Out: exit statuses, stream contents
//! and written files checked against mpy-cross's conventions and frost's error rules.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use frost_cli::options::{Command, ImplOpt, parse};
use frost_runtime::image::MAGIC;
use frost_tests::cli::{frost, frost_with_stdin};

/// A temporary directory holding `prog.py` with `source`.
fn program(source: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("prog.py");
    fs::write(&path, source).expect("write program");
    (dir, path)
}

fn s(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

const HELLO: &str =
    "def greet(name):\n    return 'hello ' + name\n\nprint(greet('frost'))\nassert 1 + 1 == 2\n";

fn opt_level_of(args: &[&str]) -> Result<u8, String> {
    let argv = std::iter::once("frost")
        .chain(args.iter().copied())
        .map(OsString::from);
    let cli = parse(argv).map_err(|e| e.to_string())?;
    Ok(match cli.command {
        Command::Compile(a) => a.opt.get(),
        Command::Run(a) => a.opt.get(),
        Command::Dis(a) => a.opt.get(),
    })
}

#[test]
fn every_spelling_of_the_optimisation_level_parses() {
    let cases: [(&[&str], u8); 11] = [
        (&["compile", "x.py"], 0),
        (&["compile", "-O", "x.py"], 1),
        (&["compile", "-OO", "x.py"], 2),
        (&["compile", "-OOO", "x.py"], 3),
        (&["compile", "-O0", "x.py"], 0),
        (&["compile", "-O2", "x.py"], 2),
        (&["compile", "-O3", "x.py"], 3),
        (&["compile", "x.py", "-OO"], 2),
        (&["run", "-O", "3", "x.py"], 3),
        (&["run", "-O2", "x.py"], 2),
        (&["dis", "-O", "x.py"], 1),
    ];
    for (args, level) in cases {
        assert_eq!(opt_level_of(args), Ok(level), "{args:?}");
    }
    assert!(opt_level_of(&["compile", "-Ox", "x.py"]).is_err());
    // After `--` nothing is rewritten: `-O` is the input file's name.
    let argv = ["frost", "compile", "--", "-O"].map(OsString::from);
    let Ok(cli) = parse(argv) else {
        panic!("`-- -O` must parse as an input named -O");
    };
    let Command::Compile(args) = cli.command else {
        panic!("not compile");
    };
    assert_eq!(args.input, Path::new("-O"));
    assert_eq!(args.opt.get(), 0);
}

#[test]
fn implementation_options_parse_like_mpy_cross() {
    let argv = [
        "frost",
        "compile",
        "-X",
        "emit=bytecode",
        "-X",
        "heapsize=8K",
        "-Xno-source-lines",
        "-msmall-int-bits=31",
        "x.py",
    ]
    .map(OsString::from);
    let cli = parse(argv).expect("parses");
    let Command::Compile(args) = cli.command else {
        panic!("not compile");
    };
    assert!(args.implopts.values.contains(&ImplOpt::EmitBytecode));
    assert_eq!(args.implopts.heap_size(), Some(8 * 1024));
    assert!(!args.implopts.source_lines());
    assert_eq!(args.machine, [31]);
}

#[test]
fn unsupported_and_unknown_flags_exit_1_with_one_clear_message() {
    for (args, needle) in [
        (
            &["compile", "-X", "emit=native", "x.py"][..],
            "not supported by frost",
        ),
        (
            &["compile", "-X", "emit=viper", "x.py"][..],
            "not supported by frost",
        ),
        (
            &["compile", "-march=armv7m", "x.py"][..],
            "not supported by frost",
        ),
        (&["compile", "-X", "bogus", "x.py"][..], "unknown -X option"),
        (
            &["compile", "--frobnicate", "x.py"][..],
            "unexpected argument",
        ),
        (&["compile"][..], "required"),
        (&["explode"][..], "unrecognized subcommand"),
    ] {
        let ran = frost(args);
        assert_eq!(ran.status, 1, "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.contains(needle), "{args:?}: {}", ran.stderr);
        assert!(ran.stderr.starts_with("error:"), "{args:?}: {}", ran.stderr);
        assert!(ran.stdout.is_empty());
    }
}

#[test]
fn version_and_help() {
    let ran = frost(&["--version"]);
    assert_eq!(ran.status, 0);
    assert_eq!(ran.out(), format!("frost {}\n", env!("CARGO_PKG_VERSION")));
    for args in [
        &["--help"][..],
        &["compile", "--help"],
        &["run", "--help"],
        &["dis", "--help"],
    ] {
        let ran = frost(args);
        assert_eq!(ran.status, 0, "{args:?}");
        assert!(ran.out().contains("Examples:"), "{args:?}: {}", ran.out());
    }
    let compile_help = frost(&["compile", "--help"]).out();
    assert!(compile_help.contains("arbitrary precision"));
    assert!(compile_help.contains("-O <N>"));
}

#[test]
fn missing_input_is_one_line_and_exit_1() {
    for sub in ["compile", "run", "dis"] {
        let ran = frost(&[sub, "no-such-file.py"]);
        assert_eq!(ran.status, 1);
        assert!(
            ran.stderr.starts_with("frost: no-such-file.py: "),
            "{}",
            ran.stderr
        );
        assert_eq!(ran.stderr.lines().count(), 1, "{}", ran.stderr);
    }
}

#[test]
fn compile_writes_the_default_output_next_to_the_input() {
    let (dir, path) = program(HELLO);
    let ran = frost(&["compile", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert!(ran.stdout.is_empty());
    let image = fs::read(dir.path().join("prog.fbc")).expect("prog.fbc written");
    assert!(image.starts_with(&MAGIC));
    // Without a .py suffix the extension is appended.
    let other = dir.path().join("script");
    fs::write(&other, HELLO).expect("write");
    assert_eq!(frost(&["compile", s(&other)]).status, 0);
    assert!(dir.path().join("script.fbc").exists());
}

#[test]
fn compile_output_flag_writes_a_file_or_stdout() {
    let (dir, path) = program(HELLO);
    let out = dir.path().join("named.image");
    assert_eq!(frost(&["compile", "-o", s(&out), s(&path)]).status, 0);
    let to_file = fs::read(&out).expect("named output");
    let ran = frost(&["compile", "-o", "-", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout, to_file);
    assert!(!dir.path().join("prog.fbc").exists());
}

#[test]
fn compile_reads_stdin_and_writes_stdout() {
    let ran = frost_with_stdin(&["compile", "-"], HELLO.as_bytes());
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert!(ran.stdout.starts_with(&MAGIC));
    assert!(contains(&ran.stdout, b"<stdin>"));
    let (dir, _) = program("");
    let out = dir.path().join("from-stdin.fbc");
    let ran = frost_with_stdin(&["compile", "-o", s(&out), "-"], HELLO.as_bytes());
    assert_eq!(ran.status, 0);
    assert!(ran.stdout.is_empty());
    assert!(fs::read(&out).expect("written").starts_with(&MAGIC));
}

#[test]
fn source_name_is_embedded_with_forward_slashes() {
    let (_dir, path) = program(HELLO);
    let ran = frost(&["compile", "-s", "lib\\drivers\\led.py", "-o", "-", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert!(contains(&ran.stdout, b"lib/drivers/led.py"));
    assert!(!contains(&ran.stdout, b"\\"));
    // By default the input path is embedded as given.
    let ran = frost(&["compile", "-o", "-", s(&path)]);
    assert!(contains(&ran.stdout, s(&path).as_bytes()));
}

#[test]
fn opt_level_spellings_give_identical_images() {
    let (_dir, path) = program(HELLO);
    let image = |flag: &str| {
        let ran = frost(&["compile", flag, "-o", "-", s(&path)]);
        assert_eq!(ran.status, 0, "{flag}: {}", ran.stderr);
        ran.stdout
    };
    assert_eq!(image("-O"), image("-O1"));
    assert_eq!(image("-OO"), image("-O2"));
    assert_eq!(image("-OOO"), image("-O3"));
    assert_ne!(image("-O0"), image("-O3"), "assert and lines differ");
    let plain = frost(&["compile", "-o", "-", s(&path)]).stdout;
    assert_eq!(plain, image("-O0"));
}

#[test]
fn x_options_are_accepted_and_change_the_line_table() {
    let (_dir, path) = program(HELLO);
    let compile = |extra: &[&str]| {
        let mut args = vec!["compile", "-o", "-"];
        args.extend_from_slice(extra);
        args.push(s(&path));
        let ran = frost(&args);
        assert_eq!(ran.status, 0, "{extra:?}: {}", ran.stderr);
        ran.stdout
    };
    let default = compile(&[]);
    assert_eq!(compile(&["-X", "source-lines"]), default);
    assert_eq!(compile(&["-X", "emit=bytecode"]), default);
    assert_eq!(compile(&["-X", "heapsize=65536"]), default);
    assert_eq!(compile(&["-msmall-int-bits=31"]), default);
    assert_ne!(compile(&["-X", "no-source-lines"]), default);
    // `-X source-lines` cannot bring the line table back at level 3.
    assert_eq!(
        compile(&["-O3", "-X", "source-lines"]),
        compile(&["-O3", "-X", "no-source-lines"])
    );
}

#[test]
fn compiling_twice_gives_the_same_bytes() {
    let source = fs::read_to_string(examples().join("blink.py")).expect("blink.py");
    let (_dir, path) = program(&source);
    for level in ["-O0", "-O3"] {
        let a = frost(&["compile", level, "-o", "-", s(&path)]);
        let b = frost(&["compile", level, "-o", "-", s(&path)]);
        assert_eq!(a.status, 0, "{}", a.stderr);
        assert_eq!(a.stdout, b.stdout);
    }
}

#[test]
fn syntax_error_reports_file_line_and_column() {
    let (_dir, path) = program("x = 1\ny = = 2\nprint(x)\n");
    let ran = frost(&["compile", s(&path)]);
    assert_eq!(ran.status, 1);
    let location = format!("File \"{}\", line 2, column ", s(&path));
    assert!(ran.stderr.contains(&location), "{}", ran.stderr);
    assert!(ran.stderr.contains("SyntaxError"), "{}", ran.stderr);
    assert!(!path.with_extension("fbc").exists());
    let ran = frost(&["run", s(&path)]);
    assert_eq!(ran.status, 1);
    assert!(ran.stderr.contains("SyntaxError"), "{}", ran.stderr);
}

#[test]
fn run_a_source_file_and_an_image() {
    let (dir, path) = program(HELLO);
    let ran = frost(&["run", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert_eq!(ran.out(), "hello frost\n");
    assert!(ran.stderr.is_empty());
    // An image is recognised by its magic, whatever its name.
    let image = dir.path().join("image.py");
    assert_eq!(
        frost(&["compile", "-O3", "-o", s(&image), s(&path)]).status,
        0
    );
    let ran = frost(&["run", s(&image)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert_eq!(ran.out(), "hello frost\n");
    let ran = frost(&["run", "-O", "2", "-X", "heapsize=32K", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
}

#[test]
fn run_exit_statuses() {
    let (_dir, path) = program("print('before')\nraise ValueError('boom')\n");
    let ran = frost(&["run", s(&path)]);
    assert_eq!(ran.status, 1);
    assert_eq!(ran.out(), "before\n");
    assert!(
        ran.stderr.starts_with("Traceback (most recent call last):"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.ends_with("ValueError: boom\n"), "{}", ran.stderr);
    let (_dir, path) = program("print('bye')\nraise SystemExit(3)\n");
    let ran = frost(&["run", s(&path)]);
    assert_eq!(ran.status, 3, "{}", ran.stderr);
    assert_eq!(ran.out(), "bye\n");
}

#[test]
fn dis_of_source_and_of_its_image_agree() {
    let (dir, path) = program(HELLO);
    let from_source = frost(&["dis", "-O", "3", s(&path)]);
    assert_eq!(from_source.status, 0, "{}", from_source.stderr);
    assert!(!from_source.stdout.is_empty());
    let image = dir.path().join("prog.fbc");
    assert_eq!(frost(&["compile", "-O3", s(&path)]).status, 0);
    let from_image = frost(&["dis", s(&image)]);
    assert_eq!(from_image.status, 0, "{}", from_image.stderr);
    assert_eq!(from_image.stdout, from_source.stdout);
    let without_lines = frost(&["dis", "-X", "no-source-lines", s(&path)]);
    assert_eq!(without_lines.status, 0);
}

#[test]
fn a_corrupted_image_is_refused_with_the_load_error() {
    let (dir, path) = program(HELLO);
    assert_eq!(frost(&["compile", s(&path)]).status, 0);
    let image_path = dir.path().join("prog.fbc");
    let mut image = fs::read(&image_path).expect("image");
    let last = image.len() - 1;
    image[last] ^= 0x5a;
    let bad = dir.path().join("bad.fbc");
    fs::write(&bad, &image).expect("write");
    for sub in ["run", "dis"] {
        let ran = frost(&[sub, s(&bad)]);
        assert_eq!(ran.status, 1, "{sub}");
        let prefix = format!("frost: {}: corrupted image: CRC-32", s(&bad));
        assert!(ran.stderr.starts_with(&prefix), "{sub}: {}", ran.stderr);
        assert_eq!(ran.stderr.lines().count(), 1, "{sub}: {}", ran.stderr);
        assert!(ran.stdout.is_empty());
    }
    let truncated = dir.path().join("short.fbc");
    fs::write(&truncated, &image[..8]).expect("write");
    let ran = frost(&["run", s(&truncated)]);
    assert_eq!(ran.status, 1);
    assert_eq!(
        ran.stderr,
        format!("frost: {}: truncated image\n", s(&truncated))
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn examples() -> PathBuf {
    frost_tests::repo_root().join("fixtures").join("examples")
}

/// A writer appending to a buffer shared with another writer, to observe interleaving.
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn host_port_flushes_stdout_before_stderr_and_at_the_end() {
    use frost_runtime::Port;
    let terminal = Shared::default();
    let (mut out, mut err) = (terminal.clone(), terminal.clone());
    let mut port = frost_cli::host_port::HostPort::new(&mut out, &mut err);
    port.write_stdout(b"out 1\n");
    assert!(terminal.0.borrow().is_empty(), "stdout is buffered");
    port.write_stderr(b"traceback\n");
    port.write_stdout(b"out 2\n");
    port.finish();
    assert_eq!(&terminal.0.borrow()[..], b"out 1\ntraceback\nout 2\n");
}

#[test]
fn heapsize_reaches_the_vm() {
    let (_dir, path) = program("x = []\nfor i in range(100000):\n    x.append(i)\nprint(len(x))\n");
    let ran = frost(&["run", s(&path)]);
    assert_eq!(ran.status, 0, "{}", ran.stderr);
    assert_eq!(ran.out(), "100000\n");
    let ran = frost(&["run", "-X", "heapsize=4K", s(&path)]);
    assert_eq!(ran.status, 1);
    assert!(ran.stderr.contains("MemoryError"), "{}", ran.stderr);
}

#[test]
fn source_that_is_not_utf8_is_one_line_and_exit_1() {
    let (dir, _) = program("");
    let path = dir.path().join("latin1.py");
    fs::write(&path, b"print('caf\xe9')\n").expect("write");
    for sub in ["compile", "run", "dis"] {
        let ran = frost(&[sub, s(&path)]);
        assert_eq!(ran.status, 1, "{sub}");
        assert_eq!(
            ran.stderr,
            format!(
                "frost: {}: source is not valid UTF-8 (byte offset 10)\n",
                s(&path)
            )
        );
    }
}
