//! `frost dis`. In: `DisArgs` and a `.py` file (compiled in memory at `-O N`) or an image. Out:
//! the disassembly on stdout, or `frost: FILE: <LoadError>` and status 1.

use crate::input::{display_name, image_from};
use crate::options::DisArgs;
use crate::{Io, fail};
use frost_compiler::dis::disassemble;

/// Runs `frost dis`; returns the exit status.
pub fn main(args: &DisArgs, io: &mut Io<'_>) -> i32 {
    let image = match image_from(&args.file, args.opt.get(), args.implopts.source_lines(), io) {
        Ok(image) => image,
        Err(status) => return status,
    };
    match disassemble(&image) {
        Ok(text) => match io.stdout.write_all(text.as_bytes()) {
            Ok(()) => 0,
            Err(err) => fail(io, "<stdout>", err),
        },
        Err(err) => fail(io, &display_name(&args.file), err),
    }
}
