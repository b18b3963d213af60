//! The format-spec mini-language (`format(v, spec)`, f-strings, `str.format`). In: an int,
//! float or str value and a spec text. Out: the formatted text, or CPython's ValueError for a
//! bad spec (`Unknown format code 'x' for object of type 'str'`, ...).
//!
//! Spec: `[[fill]align][sign][#][0][width][grouping][.precision][type]`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::number::Number;
use super::obj::Store;
use super::text::{FloatKind, format_float};
use super::{PyErr, PyResult, TypeId, object};
use crate::value::Value;

/// Widths and precisions above this are refused (a spec could otherwise demand gigabytes).
const MAX_WIDTH: usize = 10_000;

/// A parsed format spec.
#[derive(Clone, Debug, Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn bad(msg: &'static str) -> PyErr {
    PyErr::new(TypeId::ValueError, msg)
}

fn parse(spec: &str) -> PyResult<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if chars.first().is_some_and(|c| is_align(*c)) {
        s.align = chars.first().copied();
        i = 1;
    }
    if let Some(c @ ('+' | '-' | ' ')) = chars.get(i).copied() {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alternate = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let (width, next) = number_at(&chars, i)?;
    s.width = width.unwrap_or(0);
    i = next;
    if let Some(c @ (',' | '_')) = chars.get(i).copied() {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        let (p, next) = number_at(&chars, i + 1)?;
        s.precision = Some(p.ok_or(bad("Format specifier missing precision"))?);
        i = next;
    }
    if let Some(c) = chars.get(i) {
        s.ty = Some(*c);
        i += 1;
    }
    if i != chars.len() {
        return Err(bad("Invalid format specifier"));
    }
    Ok(s)
}

fn number_at(chars: &[char], mut i: usize) -> PyResult<(Option<usize>, usize)> {
    let start = i;
    let mut n: usize = 0;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    if n > MAX_WIDTH {
        return Err(bad("Too many decimal digits in format string"));
    }
    Ok(((i > start).then_some(n), i))
}

/// `format(v, spec)` for the built-in types that have a spec language (int, bool, float, str);
/// other values accept only the empty spec (their `str`).
pub fn format_value(store: &Store, v: Value, spec: &str) -> PyResult<String> {
    if let Some(text) = store.str_of(v) {
        return format_str(text, spec);
    }
    let is_bool = v.as_bool().is_some();
    match object::numeric(store, v) {
        Some(_) if is_bool && spec.is_empty() => Ok(str_of(store, v)),
        Some(Number::Int(i)) => format_int(&i, spec, v.as_float().is_none()),
        Some(Number::Float(f)) => format_float_spec(f, spec),
        None if spec.is_empty() => Ok(str_of(store, v)),
        None => Err(PyErr::type_error(format!(
            "unsupported format string passed to {}.__format__",
            store.type_name(v)
        ))),
    }
}

/// The least length of a result of `spec` (its width), for a budget check before formatting;
/// 0 for a spec that does not parse (formatting reports that).
pub fn min_len(spec: &str) -> usize {
    parse(spec).map_or(0, |s| s.width.saturating_add(s.precision.unwrap_or(0)))
}

/// `format(text, spec)` for text that is already a str's contents (a conversion's result).
pub fn format_text(text: &str, spec: &str) -> PyResult<String> {
    format_str(text, spec)
}

fn format_str(text: &str, spec: &str) -> PyResult<String> {
    let s = parse(spec)?;
    if !matches!(s.ty, None | Some('s')) {
        return Err(PyErr::fmt(
            TypeId::ValueError,
            format!(
                "Unknown format code '{}' for object of type 'str'",
                s.ty.unwrap_or('?')
            ),
        ));
    }
    if s.sign.is_some() {
        return Err(bad("Sign not allowed in string format specifier"));
    }
    if s.align == Some('=') {
        return Err(bad("'=' alignment not allowed in string format specifier"));
    }
    let body: String = match s.precision {
        Some(p) => text.chars().take(p).collect(),
        None => String::from(text),
    };
    Ok(pad(&s, "", &body, '<'))
}

fn format_int(i: &num_bigint::BigInt, spec: &str, _int: bool) -> PyResult<String> {
    let s = parse(spec)?;
    let ty = s.ty.unwrap_or('d');
    let (radix, prefix, upper) = match ty {
        'd' | 'n' => (10, "", false),
        'x' => (16, "0x", false),
        'X' => (16, "0X", true),
        'o' => (8, "0o", false),
        'b' => (2, "0b", false),
        'c' => (10, "", false),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let f = num_traits::ToPrimitive::to_f64(i).unwrap_or(f64::INFINITY);
            return format_float_spec(f, spec);
        }
        c => {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!("Unknown format code '{c}' for object of type 'int'"),
            ));
        }
    };
    if s.precision.is_some() {
        return Err(bad("Precision not allowed in integer format specifier"));
    }
    if ty == 'c' {
        let c = num_traits::ToPrimitive::to_u32(i)
            .and_then(char::from_u32)
            .ok_or(PyErr::new(
                TypeId::OverflowError,
                "%c arg not in range(0x110000)",
            ))?;
        return Ok(pad(&s, "", &String::from(c), '<'));
    }
    let negative = i.sign() == num_bigint::Sign::Minus;
    let mut digits = i.magnitude().to_str_radix(radix);
    if upper {
        digits = digits.to_uppercase();
    }
    if let Some(g) = s.grouping {
        let every = if radix == 10 { 3 } else { 4 };
        if g == ',' && radix != 10 {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!("Cannot specify ',' with '{ty}'."),
            ));
        }
        digits = group(&digits, g, every);
    }
    let mut sign = String::from(sign_text(&s, negative));
    if s.alternate {
        sign.push_str(prefix);
    }
    Ok(pad(&s, &sign, &digits, '>'))
}

fn format_float_spec(f: f64, spec: &str) -> PyResult<String> {
    let s = parse(spec)?;
    let (kind, upper, percent) = match s.ty {
        Some('f') => (FloatKind::Fixed, false, false),
        Some('F') => (FloatKind::Fixed, true, false),
        Some('e') => (FloatKind::Exponent, false, false),
        Some('E') => (FloatKind::Exponent, true, false),
        Some('g') => (FloatKind::General, false, false),
        Some('G') => (FloatKind::General, true, false),
        Some('%') => (FloatKind::Fixed, false, true),
        Some('n') => (FloatKind::General, false, false),
        None => (FloatKind::GeneralDot0, false, false),
        Some(c) => {
            return Err(PyErr::fmt(
                TypeId::ValueError,
                format!("Unknown format code '{c}' for object of type 'float'"),
            ));
        }
    };
    let mut body = String::new();
    if s.ty.is_none() && s.precision.is_none() {
        super::text::float_repr(libm::fabs(f), &mut body);
    } else {
        let x = if percent { f * 100.0 } else { f };
        let precision = s.precision.unwrap_or(6);
        format_float(x, kind, precision, s.alternate, upper, &mut body)
            .map_err(|_| bad("precision too big"))?;
    }
    if percent {
        body.push('%');
    }
    if let Some(g) = s.grouping {
        let end = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        let (int_part, rest) = body.split_at(end);
        body = format!("{}{rest}", group(int_part, g, 3));
    }
    let negative = f.is_sign_negative() && !f.is_nan();
    Ok(pad(&s, sign_text(&s, negative), &body, '>'))
}

fn sign_text(s: &Spec, negative: bool) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// Inserts `sep` every `every` digits from the right.
fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.chars().count();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Pads `sign` + `body` to the spec's width; `default` is the type's natural alignment.
fn pad(s: &Spec, sign: &str, body: &str, default: char) -> String {
    let len = sign.chars().count() + body.chars().count();
    let (fill, align) = match (s.fill, s.align, s.zero) {
        (f, Some(a), _) => (f.unwrap_or(' '), a),
        (_, None, true) => ('0', '='),
        (_, None, false) => (' ', default),
    };
    let extra = s.width.saturating_sub(len);
    let mut out = String::new();
    let repeat = |out: &mut String, n: usize| (0..n).for_each(|_| out.push(fill));
    match align {
        '<' => {
            out.push_str(sign);
            out.push_str(body);
            repeat(&mut out, extra);
        }
        '^' => {
            repeat(&mut out, extra / 2);
            out.push_str(sign);
            out.push_str(body);
            repeat(&mut out, extra - extra / 2);
        }
        '=' => {
            out.push_str(sign);
            repeat(&mut out, extra);
            out.push_str(body);
        }
        _ => {
            repeat(&mut out, extra);
            out.push_str(sign);
            out.push_str(body);
        }
    }
    out
}

fn str_of(store: &Store, v: Value) -> String {
    let mut out = String::new();
    object::str_into(store, v, &mut out);
    out
}

/// `ascii()` of a repr: non-ASCII characters escaped as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
pub fn ascii_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{n:02x}"));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{n:04x}"));
        } else {
            out.push_str(&format!("\\U{n:08x}"));
        }
    }
    out
}
