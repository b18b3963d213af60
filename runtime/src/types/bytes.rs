//! Bytes: immutable byte strings. In: bytes values and method arguments. Out: the bytes
//! methods (`METHODS`); `repr` is `text::bytes_repr`, operators are the VM's.

use alloc::string::String;

use super::obj::{Ctx, Method, Obj, arity, new_str};
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The bytes methods.
pub const METHODS: &[(&str, Method)] = &[("decode", decode)];

fn decode(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytes.decode", args, 0, 1)?;
    let Some(Obj::Bytes(b)) = cx.store().obj(args[0]) else {
        return Err(PyErr::new(TypeId::TypeError, "expected bytes"));
    };
    let text = core::str::from_utf8(b).map_err(|e| {
        let at = e.valid_up_to();
        let byte = b.get(at).copied().unwrap_or(0);
        PyErr::fmt(
            TypeId::UnicodeError,
            alloc::format!("'utf-8' codec can't decode byte 0x{byte:02x} in position {at}"),
        )
    })?;
    let s = String::from(text);
    new_str(cx, s)
}
