//! How type code reports a Python exception without touching the heap. In: an exception type
//! and a message. Out: `PyErr`, which the VM materialises into an exception instance.

use alloc::borrow::Cow;
use alloc::string::String;

use super::TypeId;
use crate::heap::HeapError;
use crate::value::Value;

/// A Python exception on its way up.
#[derive(Clone, Debug)]
pub enum PyErr {
    /// An exception of this type with one str argument.
    Msg(TypeId, Cow<'static, str>),
    /// An exception of this type with no arguments.
    Bare(TypeId),
    /// An exception of this type with one arbitrary argument (KeyError's key).
    Arg(TypeId, Value),
    /// An exception instance that already exists.
    Obj(Value),
    /// The heap refused an allocation.
    Memory(HeapError),
}

/// A result whose error is a Python exception.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    /// An exception with a fixed message.
    pub fn new(ty: TypeId, msg: &'static str) -> PyErr {
        PyErr::Msg(ty, Cow::Borrowed(msg))
    }

    /// An exception with a formatted message.
    pub fn fmt(ty: TypeId, msg: String) -> PyErr {
        PyErr::Msg(ty, Cow::Owned(msg))
    }

    /// `TypeError` with a message.
    pub fn type_error(msg: String) -> PyErr {
        PyErr::fmt(TypeId::TypeError, msg)
    }
}

impl From<HeapError> for PyErr {
    fn from(e: HeapError) -> PyErr {
        PyErr::Memory(e)
    }
}
