//! `str.format` and `format()`: replacement fields `{}`, `{0}`, `{{`/`}}`, and the format
//! spec mini-language `[[fill]align][sign][0][width][,][.precision][type]` for ints (`d x X o
//! b`), floats (`f e g %`) and strs (`s`). In: a template and values. Out: the text, or
//! ValueError/TypeError in CPython's words.

use alloc::format;
use alloc::string::{String, ToString};

use super::obj::{Ctx, arity, new_str};
use super::object::{repr_into, str_into};
use super::text::FloatKind;
use super::{PyErr, PyResult, TypeId, int, text};
use crate::value::{Kind, Value};

/// `template.format(*args)`: `args[0]` is the template.
pub fn format_method(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    format_call(cx, args, &[])
}

/// `template.format(*args, **kwargs)`: `args[0]` is the template; fields are positions or
/// keyword names.
pub fn format_call(cx: &mut dyn Ctx, args: &[Value], kw: &[(Value, Value)]) -> PyResult<Value> {
    arity("str.format", args, 0, usize::MAX)?;
    let template = String::from(cx.store().str_of(args[0]).unwrap_or(""));
    let values = args.get(1..).unwrap_or(&[]);
    let mut out = String::new();
    let mut auto = 0usize;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err(value_error("Single '}' encountered in format string")),
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => field.push(ch),
                        None => return Err(value_error("expected '}' before end of string")),
                    }
                }
                let (name, spec) = field.split_once(':').unwrap_or((&field, ""));
                let (name, conversion) = match name.split_once('!') {
                    Some((n, c)) => (n, Some(c)),
                    None => (name, None),
                };
                let by_name = match name.parse::<usize>() {
                    Ok(_) => None,
                    Err(_) if name.is_empty() => None,
                    Err(_) => {
                        let found = kw
                            .iter()
                            .find(|(k, _)| cx.store().str_of(*k) == Some(name))
                            .map(|(_, v)| *v);
                        if found.is_none() {
                            let key = new_str(cx, String::from(name))?;
                            return Err(PyErr::Arg(TypeId::KeyError, key));
                        }
                        found
                    }
                };
                let index = if name.is_empty() {
                    auto += 1;
                    auto - 1
                } else {
                    name.parse::<usize>().unwrap_or(0)
                };
                let v = match by_name {
                    Some(v) => v,
                    None => *values.get(index).ok_or_else(|| {
                        PyErr::fmt(
                            TypeId::IndexError,
                            format!(
                                "Replacement index {index} out of range for positional args tuple"
                            ),
                        )
                    })?,
                };
                match conversion {
                    Some("r") => {
                        let mut r = String::new();
                        repr_into(cx.store(), v, &mut r);
                        out.push_str(&apply(cx, Value::NONE, Some(&r), spec)?);
                    }
                    Some("s") | None => out.push_str(&apply(cx, v, None, spec)?),
                    Some(_) => return Err(value_error("Unknown conversion specifier")),
                }
            }
            c => out.push(c),
        }
    }
    new_str(cx, out)
}

/// `format(value, spec)`.
pub fn format_value(cx: &mut dyn Ctx, v: Value, spec: &str) -> PyResult<Value> {
    let s = apply(cx, v, None, spec)?;
    new_str(cx, s)
}

fn value_error(msg: &'static str) -> PyErr {
    PyErr::new(TypeId::ValueError, msg)
}

struct Spec {
    fill: char,
    align: Option<char>,
    sign: char,
    zero: bool,
    width: usize,
    comma: bool,
    precision: Option<usize>,
    kind: Option<char>,
}

fn parse_spec(spec: &str) -> PyResult<Spec> {
    let chars: alloc::vec::Vec<char> = spec.chars().collect();
    let mut i = 0;
    let mut s = Spec {
        fill: ' ',
        align: None,
        sign: '-',
        zero: false,
        width: 0,
        comma: false,
        precision: None,
        kind: None,
    };
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = chars[0];
        s.align = Some(chars[1]);
        i = 2;
    } else if chars.first().is_some_and(|c| is_align(*c)) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(c @ ('+' | '-' | ' ')) = chars.get(i).copied() {
        s.sign = c;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        s.width = s.width.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    if chars.get(i) == Some(&',') {
        s.comma = true;
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let mut p: usize = 0;
        let start = i;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            p = p.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        if i == start {
            return Err(value_error("Format specifier missing precision"));
        }
        s.precision = Some(p);
    }
    if let Some(c) = chars.get(i) {
        s.kind = Some(*c);
        i += 1;
    }
    if i != chars.len() {
        return Err(value_error("Invalid format specifier"));
    }
    Ok(s)
}

fn apply(cx: &mut dyn Ctx, v: Value, text_override: Option<&str>, spec: &str) -> PyResult<String> {
    let s = parse_spec(spec)?;
    // The result is at least this long: refuse it before building it when the heap cannot.
    cx.room(s.width.saturating_add(s.precision.unwrap_or(0)))?;
    let store = cx.store();
    let (body, numeric) = if let Some(t) = text_override {
        (String::from(t), false)
    } else if let Some(t) = store.str_of(v) {
        if s.kind.is_some_and(|k| k != 's') {
            return Err(unknown_code(s.kind, "str"));
        }
        let t: String = match s.precision {
            Some(p) => t.chars().take(p).collect(),
            None => String::from(t),
        };
        (t, false)
    } else if let (Some(n), false) = (int::big_of(store, v), matches!(v.kind(), Kind::Float(_))) {
        let kind = s.kind.unwrap_or('d');
        if matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
            let f = num_traits::ToPrimitive::to_f64(&n).unwrap_or(f64::INFINITY);
            (float_body(f, kind, s.precision, s.sign)?, true)
        } else {
            let mag = num_traits::Signed::abs(&n);
            let digits = match kind {
                'd' | 'n' => mag.to_string(),
                'x' => mag.to_str_radix(16),
                'X' => mag.to_str_radix(16).to_uppercase(),
                'o' => mag.to_str_radix(8),
                'b' => mag.to_str_radix(2),
                _ => return Err(unknown_code(Some(kind), "int")),
            };
            let digits = if s.comma { group(&digits) } else { digits };
            (
                signed(num_traits::Signed::is_negative(&n), &digits, s.sign),
                true,
            )
        }
    } else if let Kind::Float(f) = v.kind() {
        (
            float_body(f, s.kind.unwrap_or('r'), s.precision, s.sign)?,
            true,
        )
    } else {
        if !spec.is_empty() {
            return Err(PyErr::type_error(format!(
                "unsupported format string passed to {}.__format__",
                store.type_name(v)
            )));
        }
        let mut t = String::new();
        str_into(store, v, &mut t);
        (t, false)
    };
    Ok(pad(&body, &s, numeric))
}

fn unknown_code(kind: Option<char>, ty: &str) -> PyErr {
    PyErr::fmt(
        TypeId::ValueError,
        format!(
            "Unknown format code '{}' for object of type '{ty}'",
            kind.unwrap_or(' ')
        ),
    )
}

fn signed(negative: bool, digits: &str, sign: char) -> String {
    let prefix = match (negative, sign) {
        (true, _) => "-",
        (false, '+') => "+",
        (false, ' ') => " ",
        _ => "",
    };
    format!("{prefix}{digits}")
}

fn float_body(f: f64, kind: char, precision: Option<usize>, sign: char) -> PyResult<String> {
    let neg = f.is_sign_negative() && !f.is_nan();
    let upper = kind.is_ascii_uppercase();
    let mut body = String::new();
    let (float_kind, p, percent) = match kind {
        'f' | 'F' => (FloatKind::Fixed, precision.unwrap_or(6), false),
        '%' => (FloatKind::Fixed, precision.unwrap_or(6), true),
        'e' | 'E' => (FloatKind::Exponent, precision.unwrap_or(6), false),
        'g' | 'G' => (FloatKind::General, precision.unwrap_or(6), false),
        _ => match precision {
            Some(p) => (FloatKind::GeneralDot0, p, false),
            None => {
                text::float_repr(f.abs(), &mut body);
                return Ok(signed(neg, &body, sign));
            }
        },
    };
    let x = if percent { f * 100.0 } else { f };
    text::format_float(x, float_kind, p, false, upper, &mut body)
        .map_err(|_| PyErr::new(TypeId::ValueError, "precision too big"))?;
    if percent {
        body.push('%');
    }
    Ok(signed(neg, &body, sign))
}

fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pad(body: &str, s: &Spec, numeric: bool) -> String {
    let len = body.chars().count();
    if len >= s.width {
        return String::from(body);
    }
    let n = s.width - len;
    let (fill, align) = match (s.zero, s.align) {
        (true, None) if numeric => ('0', '='),
        _ => (s.fill, s.align.unwrap_or(if numeric { '>' } else { '<' })),
    };
    let fills = |k: usize| core::iter::repeat_n(fill, k).collect::<String>();
    match align {
        '<' => format!("{body}{}", fills(n)),
        '^' => format!("{}{body}{}", fills(n / 2), fills(n - n / 2)),
        '=' => {
            let (sign, rest) = match body.chars().next() {
                Some(c @ ('-' | '+' | ' ')) => (c.to_string(), &body[1..]),
                _ => (String::new(), body),
            };
            format!("{sign}{}{rest}", fills(n))
        }
        _ => format!("{}{body}", fills(n)),
    }
}
