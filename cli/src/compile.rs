//! `frost compile`. In: `CompileArgs` (mpy-cross's flags) and a `.py` file or stdin. Out: the
//! image written to `-o FILE`, stdout, or INPUT with `.py` replaced by `.fbc`; on a compile
//! error the rendered diagnostic on stderr and status 1.

use std::path::{Path, PathBuf};

use frost_compiler::Options;

use crate::input::{compile_source, display_name, read_bytes, source_name, source_text};
use crate::options::CompileArgs;
use crate::{Io, fail};

/// The image file extension (`.mpy` for mpy-cross).
pub const IMAGE_EXTENSION: &str = "fbc";

/// Runs `frost compile`; returns the exit status.
pub fn main(args: &CompileArgs, io: &mut Io<'_>) -> i32 {
    let name = display_name(&args.input);
    let bytes = match read_bytes(&args.input, io) {
        Ok(bytes) => bytes,
        Err(status) => return status,
    };
    let source = match source_text(bytes, &name, io) {
        Ok(source) => source,
        Err(status) => return status,
    };
    let options = Options {
        source_name: source_name(args.source_name.as_deref().unwrap_or(&name)),
        opt_level: args.opt.get(),
        source_lines: args.implopts.source_lines(),
    };
    let image = match compile_source(&source, &options, io) {
        Ok(image) => image,
        Err(status) => return status,
    };
    match output_path(args) {
        None => match io.stdout.write_all(&image).and_then(|()| io.stdout.flush()) {
            Ok(()) => 0,
            Err(err) => fail(io, "<stdout>", err),
        },
        Some(path) => match std::fs::write(&path, &image) {
            Ok(()) => 0,
            Err(err) => fail(io, &path.to_string_lossy(), err),
        },
    }
}

/// Where the image goes: `None` for stdout (`-o -`, or input from stdin without `-o`).
pub fn output_path(args: &CompileArgs) -> Option<PathBuf> {
    match &args.output {
        Some(path) if path == Path::new("-") => None,
        Some(path) => Some(path.clone()),
        None if args.input == Path::new("-") => None,
        None => Some(default_output(&args.input)),
    }
}

/// INPUT with a trailing `.py` replaced by `.fbc` (appended when there is no `.py`).
pub fn default_output(input: &Path) -> PathBuf {
    if input.extension().is_some_and(|ext| ext == "py") {
        return input.with_extension(IMAGE_EXTENSION);
    }
    let mut name = input.as_os_str().to_owned();
    name.push(".");
    name.push(IMAGE_EXTENSION);
    PathBuf::from(name)
}
