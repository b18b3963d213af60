//! Ints: small immediates and heap `BigInt`s with one semantics. In: int (or bool) values.
//! Out: their `BigInt`/`Number` views, hashes, and values that are small whenever they fit.

use alloc::string::{String, ToString};
use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::PyResult;
use super::number::Number;
use super::obj::{Ctx, Obj, Store};
use crate::value::{Kind, Value};

/// An int (or bool) argument of a native that works on machine words, as MicroPython's
/// `mp_obj_get_int` takes it: an int too big for a small int gives `too_big` (each caller
/// raises what MicroPython raises there), anything else `TypeError: can't convert X to int`.
pub fn machine_word(store: &Store, v: Value, too_big: super::PyErr) -> PyResult<i64> {
    match v.kind() {
        Kind::Int(i) => Ok(i),
        Kind::Bool(b) => Ok(i64::from(b)),
        _ if store.type_of(v) == super::TypeId::Int => Err(too_big),
        _ => Err(super::PyErr::type_error(alloc::format!(
            "can't convert {} to int",
            store.type_name(v)
        ))),
    }
}

/// The int value of an int or bool, as a BigInt.
pub fn big_of(store: &Store, v: Value) -> Option<BigInt> {
    match v.kind() {
        Kind::Int(i) => Some(BigInt::from(i)),
        Kind::Bool(b) => Some(BigInt::from(i64::from(b))),
        Kind::Heap(_) => match store.obj(v)? {
            Obj::BigInt(b) => Some(b.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The value as a `Number` (ints, bools, floats), for `number::binary` and friends.
pub fn number_of(store: &Store, v: Value) -> Option<Number> {
    match v.kind() {
        Kind::Float(f) => Some(Number::Float(f)),
        _ => big_of(store, v).map(Number::Int),
    }
}

/// Whether `v` is an int (small or big) or a bool.
pub fn is_int(store: &Store, v: Value) -> bool {
    match v.kind() {
        Kind::Int(_) | Kind::Bool(_) => true,
        Kind::Heap(_) => matches!(store.obj(v), Some(Obj::BigInt(_))),
        _ => false,
    }
}

/// An int value: immediate when it fits, otherwise a heap big int.
pub fn from_big(cx: &mut dyn Ctx, b: BigInt) -> PyResult<Value> {
    if let Some(v) = b.to_i64().and_then(Value::int) {
        return Ok(v);
    }
    cx.alloc(Obj::BigInt(b))
}

/// An int value from an i64.
pub fn from_i64(cx: &mut dyn Ctx, i: i64) -> PyResult<Value> {
    match Value::int(i) {
        Some(v) => Ok(v),
        None => cx.alloc(Obj::BigInt(BigInt::from(i))),
    }
}

/// A `Number` result as a value.
pub fn from_number(cx: &mut dyn Ctx, n: Number) -> PyResult<Value> {
    match n {
        Number::Float(f) => Ok(Value::float(f)),
        Number::Int(b) => from_big(cx, b),
    }
}

/// Decimal text of an int value (small, big or bool as an int).
pub fn int_str(store: &Store, v: Value) -> String {
    match v.kind() {
        Kind::Int(i) => i.to_string(),
        _ => big_of(store, v).map_or_else(String::new, |b| b.to_string()),
    }
}
