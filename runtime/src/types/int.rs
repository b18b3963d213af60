//! Ints: small immediates and heap `BigInt`s with one semantics. In: int (or bool) values.
//! Out: their `BigInt`/`Number` views, hashes, and values that are small whenever they fit.

use alloc::string::{String, ToString};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use super::PyResult;
use super::number::Number;
use super::obj::{Ctx, Obj, Store};
use crate::value::{Kind, Value};

/// Modulus of Python's numeric hash (2^61 - 1), so equal ints and floats hash alike.
const HASH_MODULUS: i64 = (1 << 61) - 1;

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

/// Python's hash of a small int.
pub fn hash_i64(i: i64) -> i64 {
    let h = i.rem_euclid(HASH_MODULUS);
    let h = if i < 0 { -h } else { h };
    if h == -1 { -2 } else { h }
}

/// Python's hash of a big int.
pub fn hash_big(b: &BigInt) -> i64 {
    let m = BigInt::from(HASH_MODULUS);
    let r = (b.abs() % m).to_i64().unwrap_or(0);
    let h = if b.is_negative() { -r } else { r };
    if h == -1 { -2 } else { h }
}

/// Hash of a float: integral floats hash as the equal int; others mix their bits.
pub fn hash_f64(f: f64) -> i64 {
    if f.is_nan() {
        return 0;
    }
    if f.is_infinite() {
        return if f > 0.0 { 314_159 } else { -314_159 };
    }
    if libm::trunc(f) == f {
        if let Some(i) = (f as i128).to_i64()
            && (i as f64) == f
        {
            return hash_i64(i);
        }
        return num_bigint::BigInt::from(f as i128)
            .to_i64()
            .map_or(0, hash_i64);
    }
    let bits = f.to_bits();
    ((bits ^ (bits >> 29)) & (HASH_MODULUS as u64)) as i64
}

/// Decimal text of an int value (small, big or bool as an int).
pub fn int_str(store: &Store, v: Value) -> String {
    match v.kind() {
        Kind::Int(i) => i.to_string(),
        _ => big_of(store, v).map_or_else(String::new, |b| b.to_string()),
    }
}
