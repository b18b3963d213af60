//! frost's runtime: loads and verifies bytecode images and runs them in place.
//! In: image bytes and a `Port` to the world. Out: the program's effects.
//!
//! `#![no_std]` + `alloc`: it runs on microcontrollers. Layering (STYLE.md rule 7):
//! `vm` → `types` → `heap` → `value`; `image` is the format shared with the compiler.

#![no_std]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;

pub mod cells;
pub mod heap;
pub mod host;
pub mod image;
pub mod modules;
pub mod port;
pub mod ringio;
pub mod scheduler;
pub mod sync;
pub mod types;
pub mod value;
pub mod vm;

pub use port::{CapturePort, Port};
pub use value::{Handle, Kind, Value};
pub use vm::{Config, RunError, Vm};
