//! Exception instances. In: a type, args, and traceback entries the VM appends while
//! unwinding. Out: `args`, `str(e)` and `repr(e)` as CPython gives them.

use alloc::vec::Vec;

use super::TypeId;
use crate::value::Value;

/// Where a traceback line points: a code object of a loaded module at a bytecode offset.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TbEntry {
    pub module: u16,
    pub code: u32,
    pub pc: u32,
}

/// An exception instance.
#[derive(Debug)]
pub struct Exception {
    pub ty: TypeId,
    /// A tuple.
    pub args: Value,
    /// Innermost first; printed outermost first.
    pub traceback: Vec<TbEntry>,
    /// `raise .. from cause`, or None.
    pub cause: Value,
    /// The exception being handled when this one was raised, or None.
    pub context: Value,
    /// `__suppress_context__`: set by `raise .. from`, so the context is not shown.
    pub suppress_context: bool,
    /// The user class when the exception's type is a Python subclass of `ty`, else NULL.
    pub class: Value,
    /// The instance attributes a user class's methods set (a dict), or NULL until the first.
    pub dict: Value,
}

impl Exception {
    /// A fresh exception with these args and no traceback.
    pub fn new(ty: TypeId, args: Value) -> Exception {
        Exception {
            ty,
            args,
            traceback: Vec::new(),
            cause: Value::NONE,
            context: Value::NONE,
            suppress_context: false,
            class: Value::NULL,
            dict: Value::NULL,
        }
    }
}

/// The symbolic name of errno `n`, for the ones MicroPython's `errno` module knows: an
/// `OSError(n)` prints as `[Errno n] NAME` (MicroPython's text, not CPython's bare number).
pub fn errno_name(n: i64) -> Option<&'static str> {
    const NAMES: &[(i64, &str)] = &[
        (1, "EPERM"),
        (2, "ENOENT"),
        (5, "EIO"),
        (9, "EBADF"),
        (11, "EAGAIN"),
        (12, "ENOMEM"),
        (13, "EACCES"),
        (17, "EEXIST"),
        (19, "ENODEV"),
        (21, "EISDIR"),
        (22, "EINVAL"),
        (95, "EOPNOTSUPP"),
        (98, "EADDRINUSE"),
        (103, "ECONNABORTED"),
        (104, "ECONNRESET"),
        (105, "ENOBUFS"),
        (107, "ENOTCONN"),
        (110, "ETIMEDOUT"),
        (111, "ECONNREFUSED"),
        (113, "EHOSTUNREACH"),
        (114, "EALREADY"),
        (115, "EINPROGRESS"),
    ];
    NAMES.iter().find(|(k, _)| *k == n).map(|(_, name)| *name)
}
