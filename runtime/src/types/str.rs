//! Strs: interned (`Value::str(id)`, identifiers and constants of loaded images) and heap
//! (`Obj::Str`), with one behaviour. In: str values and method arguments. Out: the interner,
//! hashing, `repr`, and the str methods (`METHODS`). Length and indexing count characters.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::obj::{Ctx, Method, new_list, new_str, string_with};
use super::object::collect;
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

/// The interned strings: id → text and hash, text → id. Ids are stable for the VM's life.
#[derive(Default)]
pub struct Interner {
    strings: Vec<(Box<str>, i64)>,
    ids: BTreeMap<Box<str>, u32>,
}

impl Interner {
    /// The id of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.strings.len() as u32;
        self.strings.push((s.into(), super::text::hash_str(s)));
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` if it is interned.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The text of an id ("" for an unknown id).
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |(s, _)| s)
    }

    /// The hash of an id, computed once when it was interned.
    pub fn hash(&self, id: u32) -> i64 {
        self.strings.get(id as usize).map_or(0, |(_, h)| *h)
    }
}

/// The str methods.
pub const METHODS: &[(&str, Method)] = &[
    ("join", join),
    ("split", split),
    ("strip", strip),
    ("lstrip", lstrip),
    ("rstrip", rstrip),
    ("upper", upper),
    ("lower", lower),
    ("startswith", startswith),
    ("endswith", endswith),
    ("find", find),
    ("replace", replace),
    ("count", count),
    ("isdigit", isdigit),
];

/// Checks a method got between `min` and `max` arguments besides `self`.
pub fn arity(name: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    let n = args.len().saturating_sub(1);
    if n < min || n > max {
        let msg = if min == max {
            format!(
                "{name}() takes exactly {min} argument{} ({n} given)",
                plural(min)
            )
        } else if n < min {
            format!(
                "{name}() takes at least {min} argument{} ({n} given)",
                plural(min)
            )
        } else {
            format!(
                "{name}() takes at most {max} argument{} ({n} given)",
                plural(max)
            )
        };
        return Err(PyErr::type_error(msg));
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn text(cx: &dyn Ctx, v: Value) -> PyResult<String> {
    cx.store().str_of(v).map(ToOwned::to_owned).ok_or_else(|| {
        PyErr::type_error(format!(
            "can't convert '{}' object to str implicitly",
            cx.store().type_name(v)
        ))
    })
}

fn self_text(cx: &dyn Ctx, args: &[Value]) -> PyResult<String> {
    text(cx, args.first().copied().unwrap_or(Value::NONE))
}

fn arg(args: &[Value], i: usize) -> Option<Value> {
    args.get(i).copied().filter(|v| !v.is_none())
}

fn join(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("join", args, 1, 1)?;
    let sep = self_text(cx, args)?;
    let items = collect(cx, args[1])?;
    let mut out = String::new();
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        let Some(s) = cx.store().str_of(*x) else {
            return Err(PyErr::type_error(format!(
                "sequence item {i}: expected str instance, {} found",
                cx.store().type_name(*x)
            )));
        };
        out.push_str(s);
    }
    new_str(cx, out)
}

fn split(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("split", args, 0, 2)?;
    let s = self_text(cx, args)?;
    let maxsplit = match arg(args, 2) {
        Some(v) => v
            .as_int()
            .ok_or_else(|| PyErr::new(TypeId::TypeError, "an integer is required"))?,
        None => -1,
    };
    let limit = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let mut parts: Vec<String> = Vec::new();
    match arg(args, 1) {
        None => {
            let mut rest = s.trim_start();
            while !rest.is_empty() {
                if parts.len() == limit {
                    parts.push(rest.into());
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                parts.push(rest[..end].into());
                rest = rest[end..].trim_start();
            }
        }
        Some(sep) => {
            let sep = text(cx, sep)?;
            if sep.is_empty() {
                return Err(PyErr::new(TypeId::ValueError, "empty separator"));
            }
            let mut rest = s.as_str();
            while let Some(at) = rest.find(sep.as_str()) {
                if parts.len() == limit {
                    break;
                }
                parts.push(rest[..at].into());
                rest = &rest[at + sep.len()..];
            }
            parts.push(rest.into());
        }
    }
    let mut items = super::obj::vec_with(parts.len())?;
    for p in parts {
        items.push(new_str(cx, p)?);
    }
    new_list(cx, items)
}

fn strip_with(
    cx: &mut dyn Ctx,
    args: &[Value],
    name: &str,
    left: bool,
    right: bool,
) -> PyResult<Value> {
    arity(name, args, 0, 1)?;
    let s = self_text(cx, args)?;
    let chars: Option<Vec<char>> = match arg(args, 1) {
        Some(v) => Some(text(cx, v)?.chars().collect()),
        None => None,
    };
    let test = |c: char| match &chars {
        Some(set) => set.contains(&c),
        None => c.is_whitespace(),
    };
    let mut t = s.as_str();
    if left {
        t = t.trim_start_matches(test);
    }
    if right {
        t = t.trim_end_matches(test);
    }
    if t.len() == s.len() {
        return Ok(args[0]);
    }
    new_str(cx, t.into())
}

fn strip(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    strip_with(cx, args, "strip", true, true)
}

fn lstrip(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    strip_with(cx, args, "lstrip", true, false)
}

fn rstrip(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    strip_with(cx, args, "rstrip", false, true)
}

fn upper(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("upper", args, 0, 0)?;
    let s = self_text(cx, args)?;
    new_str(cx, s.to_uppercase())
}

fn lower(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("lower", args, 0, 0)?;
    let s = self_text(cx, args)?;
    new_str(cx, s.to_lowercase())
}

fn affix(cx: &mut dyn Ctx, args: &[Value], name: &str, start: bool) -> PyResult<Value> {
    arity(name, args, 1, 1)?;
    let s = self_text(cx, args)?;
    let candidates = match cx.store().seq_of(args[1]) {
        Some(items) if cx.store().type_of(args[1]) == TypeId::Tuple => items.to_vec(),
        _ => alloc::vec![args[1]],
    };
    for c in candidates {
        let p = text(cx, c)?;
        if (start && s.starts_with(p.as_str())) || (!start && s.ends_with(p.as_str())) {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

fn startswith(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    affix(cx, args, "startswith", true)
}

fn endswith(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    affix(cx, args, "endswith", false)
}

fn find(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("find", args, 1, 1)?;
    let s = self_text(cx, args)?;
    let sub = text(cx, args[1])?;
    Ok(match s.find(sub.as_str()) {
        Some(at) => Value::int(s[..at].chars().count() as i64).unwrap_or(Value::NONE),
        None => Value::int(-1).unwrap_or(Value::NONE),
    })
}

fn replace(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("replace", args, 2, 3)?;
    let s = self_text(cx, args)?;
    let old = text(cx, args[1])?;
    let new = text(cx, args[2])?;
    let out = match args.get(3).and_then(|v| v.as_int()) {
        Some(n) if n >= 0 => s.replacen(old.as_str(), &new, n as usize),
        _ => s.replace(old.as_str(), &new),
    };
    let mut owned = string_with(out.len())?;
    owned.push_str(&out);
    new_str(cx, owned)
}

fn count(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("count", args, 1, 1)?;
    let s = self_text(cx, args)?;
    let sub = text(cx, args[1])?;
    let n = if sub.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(sub.as_str()).count()
    };
    Ok(Value::int(n as i64).unwrap_or(Value::NONE))
}

fn isdigit(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("isdigit", args, 0, 0)?;
    let s = self_text(cx, args)?;
    Ok(Value::bool(
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
    ))
}

/// Whether `needle` occurs in the str `hay` (`in`).
pub fn contains(cx: &dyn Ctx, hay: &str, needle: Value) -> PyResult<bool> {
    let n = cx.store().str_of(needle).ok_or_else(|| {
        PyErr::type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            cx.store().type_name(needle)
        ))
    })?;
    Ok(hay.contains(n))
}
