//! The atomics of structures shared with interrupt handlers and other threads (`cells`,
//! `ringio`). One place to import them from, so a model checker's atomics can stand in:
//! under `--cfg loom` they are loom's, which explore every interleaving the memory model
//! allows (`runtime/tests/loom_ring.rs`); otherwise `core`'s.

#[cfg(not(loom))]
pub use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
#[cfg(loom)]
pub use loom::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
