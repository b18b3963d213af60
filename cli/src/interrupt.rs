//! Ctrl-C on the host. In: SIGINT, through the `ctrlc` crate (a handler thread, so the code
//! here is ordinary Rust, not signal-handler code). Out: a KeyboardInterrupt made pending on
//! the running VM through its `SchedulerHandle`, raised at the next check point.
//!
//! A second Ctrl-C while one is still pending (a program stuck where no check point runs)
//! exits at once with status 130; so does Ctrl-C when no program runs or when the program
//! disabled it with `micropython.kbd_intr(-1)` (SIGINT is then not caught, as in MicroPython).
//! 130 = 128 + SIGINT is the status shells report for a process ended by Ctrl-C; an uncaught
//! KeyboardInterrupt exits with it too (see `run`), so scripts and CI can tell an interrupted
//! run from a failed one. (MicroPython's unix port prints the traceback and exits with 1.)

use std::sync::{Mutex, Once, PoisonError};

use frost_runtime::scheduler::SchedulerHandle;

/// Exit status of a run ended by Ctrl-C.
pub const EXIT_INTERRUPTED: i32 = 130;

static CURRENT: Mutex<Option<SchedulerHandle>> = Mutex::new(None);
static INSTALL: Once = Once::new();

/// Routes Ctrl-C to this VM until the returned guard is dropped.
pub fn route_to(handle: SchedulerHandle) -> Route {
    INSTALL.call_once(|| {
        // Without a handler (e.g. one already installed by an embedding program) Ctrl-C keeps
        // its default action, which also ends the process.
        let _ = ctrlc::set_handler(on_sigint);
    });
    *CURRENT.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
    Route(())
}

/// While alive, Ctrl-C raises KeyboardInterrupt in the VM given to `route_to`.
pub struct Route(());

impl Drop for Route {
    fn drop(&mut self) {
        *CURRENT.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

fn on_sigint() {
    let current = CURRENT.lock().unwrap_or_else(PoisonError::into_inner);
    let caught = match current.as_ref() {
        Some(handle) if handle.interrupt_char() >= 0 => handle.keyboard_interrupt(),
        _ => false,
    };
    if !caught {
        std::process::exit(EXIT_INTERRUPTED);
    }
}
