//! Command-line grammar. In: raw arguments (mpy-cross conventions such as `-OO`, `-O2`,
//! `-X heapsize=8K`, `-msmall-int-bits=31`). Out: the parsed `Cli` with one struct per
//! subcommand, ready for `compile`, `run` and `dis`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The `frost` command line.
#[derive(Parser, Debug)]
#[command(
    name = "frost",
    version,
    about = "frost: compile MicroPython-dialect Python to bytecode images, run and disassemble them",
    propagate_version = true,
    after_help = "Examples:\n  frost compile -O2 blink.py            # writes blink.fbc\n  frost run blink.fbc\n  frost dis blink.py"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compile a .py file to a bytecode image (mirrors mpy-cross's flags)
    #[command(
        after_help = "Examples:\n  frost compile blink.py                 # writes blink.fbc\n  frost compile -OO -s lib/blink.py -o out.fbc blink.py\n  cat blink.py | frost compile - > blink.fbc"
    )]
    Compile(CompileArgs),
    /// Run a .py file (compiled in memory) or an image (detected by its magic bytes)
    #[command(
        after_help = "Examples:\n  frost run blink.py\n  frost run -O 3 -X heapsize=16K blink.fbc"
    )]
    Run(RunArgs),
    /// Disassemble a .py file (compiled in memory) or an image
    #[command(
        after_help = "Examples:\n  frost dis blink.fbc\n  frost dis -O 3 -X no-source-lines blink.py"
    )]
    Dis(DisArgs),
}

/// `frost compile [opts] [--] INPUT`.
#[derive(Args, Debug)]
pub struct CompileArgs {
    /// Output file; `-` writes to stdout [default: INPUT with .py replaced by .fbc]
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Source name embedded in the image for tracebacks [default: INPUT as given]
    #[arg(short = 's', value_name = "NAME")]
    pub source_name: Option<String>,
    /// `-O` in all its spellings.
    #[command(flatten)]
    pub opt: OptLevel,
    /// The `-X` options.
    #[command(flatten)]
    pub implopts: ImplOpts,
    /// Accepted for mpy-cross compatibility; frost ints are arbitrary precision (no effect)
    #[arg(short = 'm', value_name = "small-int-bits=N", value_parser = parse_march)]
    pub machine: Vec<u8>,
    /// The .py file to compile; `-` reads stdin
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
}

/// `frost run FILE`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// `-O` in all its spellings.
    #[command(flatten)]
    pub opt: OptLevel,
    /// The `-X` options.
    #[command(flatten)]
    pub implopts: ImplOpts,
    /// A .py file or a frost image
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Arguments for the program (`sys.argv[1:]`)
    #[arg(
        value_name = "ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub args: Vec<String>,
}

/// `frost dis FILE`.
#[derive(Args, Debug)]
pub struct DisArgs {
    /// `-O` in all its spellings.
    #[command(flatten)]
    pub opt: OptLevel,
    /// The `-X` options.
    #[command(flatten)]
    pub implopts: ImplOpts,
    /// A .py file or a frost image
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `-O[N]`, `-O`, `-OO`, `-OOO`: the optimisation level (see `normalize`).
#[derive(Args, Debug, Default)]
pub struct OptLevel {
    /// Optimisation level: -O<digit>, or as many O's as the level (-O = 1, -OO = 2, -OOO = 3)
    #[arg(short = 'O', value_name = "N", value_parser = parse_opt_level)]
    pub level: Option<u8>,
}

impl OptLevel {
    /// The level given, or 0.
    pub fn get(&self) -> u8 {
        self.level.unwrap_or(0)
    }
}

/// `-X` implementation options, as mpy-cross spells them.
#[derive(Args, Debug, Default)]
pub struct ImplOpts {
    /// source-lines | no-source-lines | emit=bytecode | heapsize=N[K|M] (heapsize matters to run only)
    #[arg(short = 'X', value_name = "IMPLOPT", value_parser = parse_implopt)]
    pub values: Vec<ImplOpt>,
}

impl ImplOpts {
    /// Whether to keep the line table (the last of `-X source-lines`/`no-source-lines` wins).
    pub fn source_lines(&self) -> bool {
        self.values.iter().fold(true, |keep, v| match v {
            ImplOpt::SourceLines(k) => *k,
            _ => keep,
        })
    }

    /// The `-X heapsize=` value in bytes, if given (the last one wins).
    pub fn heap_size(&self) -> Option<usize> {
        self.values.iter().rev().find_map(|v| match v {
            ImplOpt::HeapSize(n) => Some(*n),
            _ => None,
        })
    }
}

/// One `-X` option.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ImplOpt {
    /// `source-lines` (true) or `no-source-lines` (false).
    SourceLines(bool),
    /// `emit=bytecode`, the only emitter frost has.
    EmitBytecode,
    /// `heapsize=N[K|M]`, in bytes.
    HeapSize(usize),
}

/// Parses a whole command line (program name first), mpy-cross spellings included.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(normalize(args))
}

/// Rewrites mpy-cross's `-O` spellings so clap can parse them: a bare `-O` becomes `-O1`, and
/// `-O N` (a separate all-digit argument, as `run -O 3` is written) becomes `-ON`. `-OO` stays:
/// clap reads it as `-O` with value `O`, which `parse_opt_level` counts. Stops at `--`.
pub fn normalize(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(args);
            break;
        }
        if arg != "-O" {
            out.push(arg);
            continue;
        }
        let digits = args
            .peek()
            .and_then(|next| next.to_str())
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned);
        match digits {
            Some(level) => {
                args.next();
                out.push(format!("-O{level}").into());
            }
            None => out.push("-O1".into()),
        }
    }
    out
}

/// The text after `-O`: digits give the level; `O`s (from `-OO`, `-OOO`) count one more each.
fn parse_opt_level(text: &str) -> Result<u8, String> {
    if !text.is_empty() && text.bytes().all(|b| b == b'O') {
        return u8::try_from(text.len() + 1).map_err(|_| "too many O's".to_string());
    }
    text.parse::<u8>()
        .map_err(|_| format!("expected -O<digit> or -O, -OO, -OOO, found -O{text}"))
}

fn parse_implopt(text: &str) -> Result<ImplOpt, String> {
    match text {
        "source-lines" => return Ok(ImplOpt::SourceLines(true)),
        "no-source-lines" => return Ok(ImplOpt::SourceLines(false)),
        "emit=bytecode" => return Ok(ImplOpt::EmitBytecode),
        "emit=native" | "emit=viper" => {
            return Err(format!(
                "{text}: native code emitters are not supported by frost (bytecode only)"
            ));
        }
        _ => {}
    }
    if let Some(size) = text.strip_prefix("heapsize=") {
        return parse_size(size).map(ImplOpt::HeapSize);
    }
    Err(format!(
        "unknown -X option `{text}` (expected source-lines, no-source-lines, emit=bytecode, heapsize=N)"
    ))
}

/// `N`, `NK` or `NM` (mpy-cross's `heapsize=` syntax) in bytes.
fn parse_size(text: &str) -> Result<usize, String> {
    let (digits, scale) = match text.as_bytes().last() {
        Some(b'k' | b'K') => (&text[..text.len() - 1], 1024),
        Some(b'm' | b'M') => (&text[..text.len() - 1], 1024 * 1024),
        _ => (text, 1),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("bad heap size `{text}` (expected N, NK or NM)"))
}

/// `-msmall-int-bits=N`: accepted and range-checked; `-march=…` is native code, not supported.
fn parse_march(text: &str) -> Result<u8, String> {
    if let Some(bits) = text.strip_prefix("small-int-bits=") {
        return bits
            .parse::<u8>()
            .ok()
            .filter(|b| (8..=64).contains(b))
            .ok_or_else(|| format!("bad small int bits `{bits}` (expected 8..64)"));
    }
    if text.starts_with("arch=") {
        return Err(format!(
            "-m{text}: native code is not supported by frost (bytecode only)"
        ));
    }
    Err(format!(
        "unknown option -m{text} (expected -msmall-int-bits=N)"
    ))
}
