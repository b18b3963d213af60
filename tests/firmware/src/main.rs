//! A `#![no_std]`, `#![no_main]` test firmware for x86_64 Linux. In: the image of
//! `fixtures/examples/blink.py` embedded at build time (see build.rs). Out: the program's output
//! on fd 1 through a `Port` over libc `write`, tracebacks on fd 2, and the program's exit status.
//! It proves frost-runtime links and runs with `core` + `alloc` only: a global allocator over a
//! static array, libc for output, and nothing of std.

#![no_std]
#![no_main]
#![expect(
    unsafe_code,
    reason = "a no_main binary needs an exported entry point, a global allocator arena and libc calls"
)]

extern crate alloc;

use core::fmt::{self, Write};
use core::mem::MaybeUninit;

use frost_runtime::image::ImageBytes;
use frost_runtime::{Config, Port, RunError, Vm};
use linked_list_allocator::LockedHeap;

/// The program, compiled by build.rs; it executes in place, as from flash.
static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/program.fbc"));

/// Everything Rust allocates (the VM's stacks and the Python heap's slab) comes from here:
/// four times the device heap budget leaves room for the runtime's own bookkeeping.
const ARENA_SIZE: usize = 256 * 1024;

static mut ARENA: [MaybeUninit<u8>; ARENA_SIZE] = [MaybeUninit::uninit(); ARENA_SIZE];

#[global_allocator]
static ALLOCATOR: LockedHeap = LockedHeap::empty();

#[link(name = "c")]
unsafe extern "C" {}

/// The C entry point: the C runtime calls it as it would a C program's `main`.
#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
    // SAFETY: this runs once, before the first allocation, and nothing else refers to ARENA.
    unsafe {
        ALLOCATOR
            .lock()
            .init((&raw mut ARENA).cast::<u8>(), ARENA_SIZE)
    };
    let mut vm = Vm::new(LibcPort, Config::DEVICE);
    match vm.run_main(ImageBytes::Static(IMAGE)) {
        Ok(()) => 0,
        Err(RunError::Exception) => 1,
        Err(RunError::SystemExit(code)) => code,
        Err(RunError::Load(err)) => {
            let _ = writeln!(Fd(2), "firmware: image refused: {err}");
            1
        }
    }
}

/// The firmware's door to the world: output through libc `write` on fds 1 and 2.
struct LibcPort;

impl Port for LibcPort {
    fn write_stdout(&mut self, bytes: &[u8]) {
        write_all(1, bytes);
    }

    fn write_stderr(&mut self, bytes: &[u8]) {
        write_all(2, bytes);
    }
}

/// A file descriptor as a `core::fmt::Write` sink (for messages formatted without alloc).
struct Fd(i32);

impl Write for Fd {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_all(self.0, s.as_bytes());
        Ok(())
    }
}

fn write_all(fd: i32, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: the pointer and length describe a live byte slice.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        let Ok(n) = usize::try_from(written) else {
            return;
        };
        if n == 0 {
            return;
        }
        bytes = bytes.get(n..).unwrap_or_default();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let _ = writeln!(Fd(2), "firmware: panic: {info}");
    // SAFETY: abort has no preconditions; it ends the process.
    unsafe { libc::abort() }
}

/// Link stub: with panic = "abort" nothing unwinds, but stable rustc still names the symbol.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

/// Link stub for the same reason; reaching it would be a bug, so it aborts.
#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Resume() -> ! {
    // SAFETY: abort has no preconditions; it ends the process.
    unsafe { libc::abort() }
}
