//! Bytes: immutable byte strings. In: bytes values and method arguments. Out: `Bytes` (owned
//! data, or a constant's range of its image, so constants in flash cost no RAM) and the bytes
//! methods (`METHODS`, whose `decode` bytearray shares) and `str(b, encoding)`; `repr` is
//! `text::bytes_repr`, operators are `types::buffer`'s and the VM's.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Deref;

use crate::image::ImageBytes;

use super::buffer;
use super::obj::{Ctx, Method, arity, new_str};
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

/// `b.decode([encoding])` for any bytes-like `self` (bytearray shares it): the UTF-8 text.
pub fn decode(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("bytes.decode", args, 0, 1)?;
    let data = buffer::require(cx.store(), args[0])?.to_vec()?;
    utf8(cx, data)
}

/// `str(b, encoding[, errors])`: the UTF-8 text of bytes-like `b`, whatever the encoding's name.
pub fn str_from(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    let store = cx.store();
    let src = args.first().copied().unwrap_or(Value::NONE);
    if store.str_of(src).is_some() {
        return Err(PyErr::new(
            TypeId::TypeError,
            "decoding str is not supported",
        ));
    }
    let Some(b) = buffer::readable(store, src)? else {
        return Err(PyErr::type_error(format!(
            "decoding to str: need a bytes-like object, {} found",
            store.type_name(src)
        )));
    };
    let data = b.to_vec()?;
    utf8(cx, data)
}

fn utf8(cx: &mut dyn Ctx, data: Vec<u8>) -> PyResult<Value> {
    match String::from_utf8(data) {
        Ok(s) => new_str(cx, s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes().get(at).copied().unwrap_or(0);
            Err(PyErr::fmt(
                TypeId::UnicodeError,
                format!("'utf-8' codec can't decode byte 0x{byte:02x} in position {at}"),
            ))
        }
    }
}
