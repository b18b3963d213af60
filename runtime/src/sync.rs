//! The atomics of structures shared with interrupt handlers and other threads (`cells`,
//! `ringio`). One place to import them from, so a model checker's atomics can stand in.

pub use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
