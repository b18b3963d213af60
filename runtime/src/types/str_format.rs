//! `str.format`: replacement fields `{}`, `{0}`, `{name}`, `{{`/`}}`, conversions `!r`/`!s`,
//! each field formatted by the spec mini-language of `types::format` (shared with `format()`
//! and f-strings). In: a template and values. Out: the text, or ValueError/TypeError/KeyError/
//! IndexError in CPython's words.

use alloc::format;
use alloc::string::String;

use super::obj::{Ctx, arity, new_str};
use super::object::repr_into;
use super::{PyErr, PyResult, TypeId, format as spec_format};
use crate::value::Value;

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

fn value_error(msg: &'static str) -> PyErr {
    PyErr::new(TypeId::ValueError, msg)
}

/// One replacement field: `v` (or the text of its conversion) formatted by `spec` through
/// the mini-language of `types::format`.
fn apply(cx: &mut dyn Ctx, v: Value, text_override: Option<&str>, spec: &str) -> PyResult<String> {
    // The result is at least this long: refuse it before building it when the heap cannot.
    cx.room(spec_format::min_len(spec))?;
    match text_override {
        Some(t) => spec_format::format_text(t, spec),
        None => spec_format::format_value(cx.store(), v, spec),
    }
}
