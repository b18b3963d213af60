//! What the user named. In: a path (or `-`), an optimisation level and the line-table choice.
//! Out: image bytes — an image file as is (recognised by its magic bytes, whatever its
//! extension), or Python source compiled in memory — or a reported error and exit status 1.

use std::path::Path;

use frost_compiler::{CompileError, Options, diag};
use frost_runtime::image::MAGIC;

use crate::{Io, fail};

/// Reads the file at `path` (`-` is stdin): raw bytes, or a reported error (status 1).
pub fn read_bytes(path: &Path, io: &mut Io<'_>) -> Result<Vec<u8>, i32> {
    let mut bytes = Vec::new();
    let result = if path == Path::new("-") {
        io.stdin.read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    match result {
        Ok(()) => Ok(bytes),
        Err(err) => Err(fail(io, &display_name(path), err)),
    }
}

/// An image from `path`: image files as they are, Python source compiled with these options
/// (the source name embedded is the path as given).
pub fn image_from(
    path: &Path,
    opt_level: u8,
    source_lines: bool,
    io: &mut Io<'_>,
) -> Result<Vec<u8>, i32> {
    let bytes = read_bytes(path, io)?;
    if is_image(&bytes) {
        return Ok(bytes);
    }
    let name = display_name(path);
    let source = source_text(bytes, &name, io)?;
    let options = Options {
        source_name: source_name(&name),
        opt_level,
        source_lines,
    };
    compile_source(&source, &options, io)
}

/// Whether `bytes` start with a frost image's magic.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Decodes source bytes as UTF-8 (Python source encoding), or reports an error.
pub fn source_text(bytes: Vec<u8>, name: &str, io: &mut Io<'_>) -> Result<String, i32> {
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        fail(
            io,
            name,
            format_args!("source is not valid UTF-8 (byte offset {offset})"),
        )
    })
}

/// Compiles `source`; warnings and a rendered error go to stderr.
pub fn compile_source(source: &str, options: &Options, io: &mut Io<'_>) -> Result<Vec<u8>, i32> {
    match frost_compiler::compile(source, options) {
        Ok(compiled) => {
            for warning in &compiled.warnings {
                let text = diag::render_warning(warning, &options.source_name, source);
                let _ = io.stderr.write_all(text.as_bytes());
            }
            Ok(compiled.image)
        }
        Err(err) => Err(report_compile_error(&err, options, source, io)),
    }
}

fn report_compile_error(
    err: &CompileError,
    options: &Options,
    source: &str,
    io: &mut Io<'_>,
) -> i32 {
    let text = diag::render(err, &options.source_name, source);
    let _ = io.stderr.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = io.stderr.write_all(b"\n");
    }
    1
}

/// The path as the user gave it (`-` shown as `<stdin>`).
pub fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        return "<stdin>".into();
    }
    path.to_string_lossy().into_owned()
}

/// A name for tracebacks: mpy-cross turns backslashes into `/` so images match across hosts.
pub fn source_name(name: &str) -> String {
    name.replace('\\', "/")
}
