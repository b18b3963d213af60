//! The complex type. In: complex values (`Obj::Complex(re, im)`) and the ints, bools and floats
//! they mix with. Out: arithmetic (`+ - * / **`), `==`, hash, unary `- +`, `abs`, truthiness,
//! `.real`/`.imag`/`.conjugate()`, `complex(...)` and repr/str exactly as CPython 3.11 prints
//! them (`2j`, `(1+2j)`, `(-0-1j)`). Division and power follow CPython's `complexobject.c`
//! (Smith's division; repeated squaring for integral exponents up to 100) so results match
//! bit for bit.

use alloc::format;
use alloc::string::String;

use super::obj::{Ctx, Store};
use super::{Obj, PyErr, PyResult, TypeId, number, object, text};
use crate::image::{BinaryOp, UnaryOp};
use crate::value::Value;

/// Integral exponents up to this size use repeated multiplication, as CPython does.
const POWI_LIMIT: f64 = 100.0;

/// A new complex value.
pub fn new(cx: &mut dyn Ctx, re: f64, im: f64) -> PyResult<Value> {
    cx.alloc(Obj::Complex(re, im))
}

/// The parts of a complex value.
pub fn parts(store: &Store, v: Value) -> Option<(f64, f64)> {
    match store.obj(v)? {
        Obj::Complex(re, im) => Some((*re, *im)),
        _ => None,
    }
}

/// Whether `v` is a complex value.
pub fn is_complex(store: &Store, v: Value) -> bool {
    parts(store, v).is_some()
}

/// A complex, int, bool or float as a complex pair (ints too wide for a float: None).
fn as_pair(store: &Store, v: Value) -> Option<(f64, f64)> {
    if let Some(p) = parts(store, v) {
        return Some(p);
    }
    match object::numeric(store, v)? {
        number::Number::Float(f) => Some((f, 0.0)),
        number::Number::Int(i) => number::int_to_f64(&i).ok().map(|f| (f, 0.0)),
    }
}

/// `a op b` when either operand is complex and the other a number; None otherwise (the caller
/// raises its usual TypeError for the unsupported operators and operand types).
pub fn binary(cx: &mut dyn Ctx, op: BinaryOp, a: Value, b: Value) -> Option<PyResult<Value>> {
    let store = cx.store();
    if !is_complex(store, a) && !is_complex(store, b) {
        return None;
    }
    let (x, y) = (as_pair(store, a)?, as_pair(store, b)?);
    let r = match op {
        BinaryOp::Add => Ok((x.0 + y.0, x.1 + y.1)),
        BinaryOp::Sub => Ok((x.0 - y.0, x.1 - y.1)),
        BinaryOp::Mul => Ok(mul(x, y)),
        BinaryOp::TrueDiv => quot(x, y)
            .ok_or_else(|| PyErr::new(TypeId::ZeroDivisionError, "complex division by zero")),
        BinaryOp::Pow => pow(x, y),
        _ => return None,
    };
    Some(r.and_then(|(re, im)| new(cx, re, im)))
}

/// `x ** y` for floats whose result is complex (a negative base, a fractional exponent), as
/// Python 3 computes it.
pub fn real_pow(cx: &mut dyn Ctx, x: f64, y: f64) -> PyResult<Value> {
    let (re, im) = pow((x, 0.0), (y, 0.0))?;
    new(cx, re, im)
}

/// `-c`, `+c`; None when `v` is not complex.
pub fn unary(cx: &mut dyn Ctx, op: UnaryOp, v: Value) -> Option<PyResult<Value>> {
    let (re, im) = parts(cx.store(), v)?;
    match op {
        UnaryOp::Neg => Some(new(cx, -re, -im)),
        UnaryOp::Pos => Some(new(cx, re, im)),
        _ => None,
    }
}

/// `a == b` when either is complex: equal parts (a real number has imaginary part 0).
pub fn eq(store: &Store, a: Value, b: Value) -> Option<bool> {
    if !is_complex(store, a) && !is_complex(store, b) {
        return None;
    }
    match (as_pair(store, a), as_pair(store, b)) {
        (Some(x), Some(y)) => Some(x == y),
        _ => Some(false),
    }
}

/// CPython's hash: `hash(re) + 1000003 * hash(im)`, -1 mapped to -2.
pub fn hash(re: f64, im: f64) -> i64 {
    let h = number::hash_float(re).wrapping_add(number::hash_float(im).wrapping_mul(1_000_003));
    if h == -1 { -2 } else { h }
}

/// `abs(c)`: the modulus; OverflowError when it is not finite but the parts are.
pub fn abs(re: f64, im: f64) -> PyResult<Value> {
    let r = libm::hypot(re, im);
    if r.is_infinite() && re.is_finite() && im.is_finite() {
        return Err(PyErr::new(
            TypeId::OverflowError,
            "absolute value too large",
        ));
    }
    Ok(Value::float(r))
}

/// `c.real`, `c.imag`, `c.conjugate`; None for other names or other objects.
pub fn attr(store: &Store, v: Value, name: &str) -> Option<PyResult<Value>> {
    let (re, im) = parts(store, v)?;
    match name {
        "real" => Some(Ok(Value::float(re))),
        "imag" => Some(Ok(Value::float(im))),
        "conjugate" => crate::modules::method(TypeId::Complex, "conjugate").map(Ok),
        _ => None,
    }
}

/// The methods of complex.
pub const METHODS: &[(&str, super::obj::Method)] = &[("conjugate", conjugate)];

fn conjugate(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    let (re, im) = args
        .first()
        .and_then(|v| parts(cx.store(), *v))
        .ok_or(PyErr::new(TypeId::TypeError, "conjugate() needs a complex"))?;
    new(cx, re, -im)
}

/// `complex()`, `complex(x)`, `complex(re, im)`, `complex("1+2j")`.
pub fn construct(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    let store = cx.store();
    let (re, im) = match args {
        [] => (0.0, 0.0),
        [s] if store.str_of(*s).is_some() => from_str(store.str_of(*s).unwrap_or(""))?,
        [x] => pair_arg(store, *x, "first")?,
        [x, y] => {
            if store.str_of(*x).is_some() {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "complex() can't take second arg if first is a string",
                ));
            }
            if store.str_of(*y).is_some() {
                return Err(PyErr::new(
                    TypeId::TypeError,
                    "complex() second arg can't be a string",
                ));
            }
            let (a, b) = (
                pair_arg(store, *x, "first")?,
                pair_arg(store, *y, "second")?,
            );
            // complex(a, b) = a + b*1j; as CPython, only a complex part adds in, so
            // complex(0, -0.0) keeps its negative zero.
            let re = if is_complex(store, *y) {
                a.0 - b.1
            } else {
                a.0
            };
            let im = if is_complex(store, *x) {
                b.0 + a.1
            } else {
                b.0
            };
            (re, im)
        }
        _ => {
            return Err(PyErr::type_error(format!(
                "complex() takes at most 2 arguments ({} given)",
                args.len()
            )));
        }
    };
    new(cx, re, im)
}

fn pair_arg(store: &Store, v: Value, which: &str) -> PyResult<(f64, f64)> {
    as_pair(store, v).ok_or_else(|| {
        PyErr::type_error(format!(
            "complex() {which} argument must be a string or a number, not '{}'",
            store.type_name(v)
        ))
    })
}

/// `complex(str)`: underscores between digits are dropped first (PEP 515), as CPython does.
fn from_str(text: &str) -> PyResult<(f64, f64)> {
    let stripped;
    let text = if text.contains('_') {
        let b = text.as_bytes();
        let ok = b.iter().enumerate().all(|(i, c)| {
            *c != b'_'
                || (i > 0
                    && b.get(i - 1).is_some_and(u8::is_ascii_digit)
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        });
        if !ok {
            let mut repr = String::new();
            text::str_repr(text, &mut repr);
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!("could not convert string to complex: {repr}"),
            ));
        }
        stripped = text.replace('_', "");
        stripped.as_str()
    } else {
        text
    };
    parse(text).ok_or(PyErr::new(
        TypeId::ValueError,
        "complex() arg is a malformed string",
    ))
}

/// Parses CPython's complex literal syntax: `1`, `2j`, `1+2j`, `-1.5e3-j`, in parentheses or
/// not, surrounded by whitespace.
fn parse(text: &str) -> Option<(f64, f64)> {
    let mut s = text.trim();
    if let Some(inner) = s.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        s = inner.trim();
    }
    if s.is_empty() || s.contains(char::is_whitespace) {
        return None;
    }
    let Some(body) = s.strip_suffix(['j', 'J']) else {
        return real(s).map(|re| (re, 0.0));
    };
    // Split at the last sign that is not part of an exponent and not the first character.
    let bytes = body.as_bytes();
    let split = (1..bytes.len()).rev().find(|&i| {
        matches!(bytes.get(i), Some(b'+' | b'-')) && !matches!(bytes.get(i - 1), Some(b'e' | b'E'))
    });
    match split {
        Some(i) => {
            let (re, im) = body.split_at(i);
            Some((real(re)?, imag(im)?))
        }
        None => Some((0.0, imag(body)?)),
    }
}

/// The imaginary coefficient: a float, or a bare sign (`j`, `+j`, `-j`).
fn imag(s: &str) -> Option<f64> {
    match s {
        "" | "+" => Some(1.0),
        "-" => Some(-1.0),
        _ => real(s),
    }
}

fn real(s: &str) -> Option<f64> {
    let digits = s.trim_start_matches(['+', '-']);
    let named = matches!(
        digits.to_ascii_lowercase().as_str(),
        "inf" | "infinity" | "nan"
    );
    if !named && !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if s.contains('_') {
        return None;
    }
    s.parse::<f64>().ok()
}

/// repr and str: `2j` when the real part is +0.0, else `(re+imj)` with the imaginary sign
/// always shown; parts print as repr(float) without a trailing `.0`.
pub fn repr(re: f64, im: f64, out: &mut String) {
    if re == 0.0 && re.is_sign_positive() {
        part(im, out);
        out.push('j');
        return;
    }
    out.push('(');
    part(re, out);
    // A NaN prints unsigned, so it gets the '+' too.
    if im.is_nan() || im.is_sign_positive() {
        out.push('+');
    }
    part(im, out);
    out.push_str("j)");
}

fn part(x: f64, out: &mut String) {
    let start = out.len();
    text::float_repr(x, out);
    if out[start..].ends_with(".0") {
        out.truncate(out.len() - 2);
    }
}

fn mul(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// CPython's `_Py_c_quot` (Smith's method); None for division by zero.
fn quot(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    let (abs_breal, abs_bimag) = (libm::fabs(b.0), libm::fabs(b.1));
    if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_bimag >= abs_breal {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // At least one part is a NaN.
        Some((f64::NAN, f64::NAN))
    }
}

/// `a ** b` as CPython's `complex_pow`.
fn pow(a: (f64, f64), b: (f64, f64)) -> PyResult<(f64, f64)> {
    let neg_power = || {
        PyErr::new(
            TypeId::ZeroDivisionError,
            "0.0 to a negative or complex power",
        )
    };
    if b.1 == 0.0 && b.0 == libm::floor(b.0) && libm::fabs(b.0) <= POWI_LIMIT {
        let n = b.0 as i64;
        if n >= 0 {
            return Ok(powu(a, n as u64));
        }
        return quot((1.0, 0.0), powu(a, n.unsigned_abs())).ok_or_else(neg_power);
    }
    if b == (0.0, 0.0) {
        return Ok((1.0, 0.0));
    }
    if a == (0.0, 0.0) {
        if b.1 != 0.0 || b.0 < 0.0 {
            return Err(neg_power());
        }
        return Ok((0.0, 0.0));
    }
    let vabs = libm::hypot(a.0, a.1);
    let mut len = libm::pow(vabs, b.0);
    let at = libm::atan2(a.1, a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= libm::exp(at * b.1);
        phase += b.1 * libm::log(vabs);
    }
    Ok((len * libm::cos(phase), len * libm::sin(phase)))
}

fn powu(x: (f64, f64), n: u64) -> (f64, f64) {
    let (mut r, mut p, mut mask) = ((1.0, 0.0), x, 1u64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = mul(r, p);
        }
        mask <<= 1;
        p = mul(p, p);
    }
    r
}

/// Truthiness: nonzero.
pub fn truthy(re: f64, im: f64) -> bool {
    re != 0.0 || im != 0.0
}
