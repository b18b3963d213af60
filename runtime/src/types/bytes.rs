//! Bytes: immutable byte strings. In: bytes values and method arguments. Out: `Bytes` (owned
//! data, or a constant's range of its image, so constants in flash cost no RAM) and the bytes
//! methods (`METHODS`); `repr` is `text::bytes_repr`, operators are the VM's.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Deref;

use crate::image::ImageBytes;

use super::obj::{Ctx, Method, Obj, arity, new_str};
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The data of a bytes object.
#[derive(Debug)]
pub enum Bytes {
    /// Made at run time.
    Owned(Vec<u8>),
    /// A constant: a range of its module's image, read in place.
    Image(ImageBytes, u32, u32),
}

impl Bytes {
    /// Bytes of storage the object owns (an image range owns none).
    pub fn capacity(&self) -> usize {
        match self {
            Bytes::Owned(v) => v.capacity(),
            Bytes::Image(..) => 0,
        }
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Image(image, start, end) => {
                image.get(*start as usize..*end as usize).unwrap_or(&[])
            }
        }
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        Bytes::Owned(v)
    }
}

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
