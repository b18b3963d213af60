//! `frost run`. In: `RunArgs` and a `.py` file (compiled in memory at `-O N`) or an image. Out:
//! the program's output on stdout, tracebacks on stderr; status 0, 1 on an uncaught exception
//! or a refused image (`frost: FILE: <LoadError>`), 130 on an uncaught KeyboardInterrupt
//! (Ctrl-C; see `interrupt`), or SystemExit's code.

use std::rc::Rc;

use frost_runtime::image::ImageBytes;

use crate::host_port::HostPort;
use crate::input::{display_name, image_from};
use crate::interrupt;
use crate::options::RunArgs;
use crate::{Io, fail};
use frost_runtime::{Config, RunError, Vm};

/// Runs `frost run`; returns the exit status.
pub fn main(args: &RunArgs, io: &mut Io<'_>) -> i32 {
    let opt_level = args.opt.get();
    let image = match image_from(&args.file, opt_level, args.implopts.source_lines(), io) {
        Ok(image) => image,
        Err(status) => return status,
    };
    let mut config = Config::HOST;
    config.opt_level = opt_level;
    if let Some(size) = args.implopts.heap_size() {
        config.heap_size = size;
    }
    let port = HostPort::new(&mut *io.stdout, &mut *io.stderr);
    let mut vm = Vm::new(port, config);
    crate::host::install(&mut vm, args);
    let route = interrupt::route_to(vm.scheduler_handle());
    let result = vm.run_main(ImageBytes::Shared(Rc::from(image)));
    drop(route);
    let interrupted = vm.interrupted();
    vm.into_port().finish();
    match result {
        Ok(()) => 0,
        Err(RunError::Exception) if interrupted => interrupt::EXIT_INTERRUPTED,
        Err(RunError::Exception) => 1,
        Err(RunError::SystemExit(code)) => code,
        Err(RunError::Load(err)) => fail(io, &display_name(&args.file), err),
    }
}
