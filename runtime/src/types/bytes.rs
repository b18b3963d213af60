//! Bytes: immutable byte strings. In: bytes values. Out: the methods table (none yet
//! beyond the operators the VM implements; `repr` is `text::bytes_repr`).

use super::obj::Method;

/// The bytes methods.
pub const METHODS: &[(&str, Method)] = &[];
