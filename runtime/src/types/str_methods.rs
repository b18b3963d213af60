//! The str methods (`METHODS`). In: a str and the call's arguments. Out: new strs, lists,
//! ints or bools, with CPython's results and errors. Text is never mutated in place: every
//! result is a new str (or the argument itself when nothing changes).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::obj::{Ctx, Method, arity, new_list, new_str, string_with, vec_with};
use super::object::collect;
use super::{PyErr, PyResult, TypeId};
use crate::value::Value;

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
    ("encode", encode),
    ("format", super::str_format::format_method),
    ("index", index),
    ("rfind", rfind),
    ("rindex", rindex),
    ("partition", partition),
    ("rpartition", rpartition),
    ("splitlines", splitlines),
    ("isalpha", isalpha),
    ("isalnum", isalnum),
    ("isspace", isspace),
    ("isupper", isupper),
    ("islower", islower),
    ("title", title),
    ("capitalize", capitalize),
    ("center", center),
    ("ljust", ljust),
    ("rjust", rjust),
    ("zfill", zfill),
];

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
    arity("str.join", args, 1, 1)?;
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
    arity("str.split", args, 0, 2)?;
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
    let mut items = vec_with(parts.len())?;
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
    strip_with(cx, args, "str.strip", true, true)
}

fn lstrip(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    strip_with(cx, args, "str.lstrip", true, false)
}

fn rstrip(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    strip_with(cx, args, "str.rstrip", false, true)
}

fn upper(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.upper", args, 0, 0)?;
    let s = self_text(cx, args)?;
    new_str(cx, s.to_uppercase())
}

fn lower(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.lower", args, 0, 0)?;
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
    affix(cx, args, "str.startswith", true)
}

fn endswith(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    affix(cx, args, "str.endswith", false)
}

fn find(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    search(cx, args, "str.find", false, false)
}

fn replace(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.replace", args, 2, 3)?;
    let s = self_text(cx, args)?;
    let old = text(cx, args[1])?;
    let new = text(cx, args[2])?;
    let limit = match args.get(3).and_then(|v| v.as_int()) {
        Some(n) if n >= 0 => n as usize,
        _ => usize::MAX,
    };
    let hits = if old.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(old.as_str()).count()
    }
    .min(limit);
    // Check the result's size against the budget before building it.
    let size = (s.len() - hits.saturating_mul(old.len()).min(s.len()))
        .saturating_add(hits.saturating_mul(new.len()));
    cx.room(size)?;
    let mut out = string_with(size)?;
    out.push_str(&s.replacen(old.as_str(), &new, limit));
    new_str(cx, out)
}

fn count(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.count", args, 1, 3)?;
    let s = self_text(cx, args)?;
    let sub = text(cx, args[1])?;
    let Some((lo, hi, _)) = window(&s, args)? else {
        return Ok(Value::int(0).unwrap_or(Value::NONE));
    };
    let hay = s.get(lo..hi).unwrap_or("");
    let n = if sub.is_empty() {
        hay.chars().count() + 1
    } else {
        hay.matches(sub.as_str()).count()
    };
    Ok(Value::int(n as i64).unwrap_or(Value::NONE))
}

/// The `[start:end]` window of `s` that find/index/count search, from their optional
/// arguments 2 and 3 (None or ints, negative from the end, as slice bounds): byte range and
/// the window's first char index. `None` when start lies past the end (nothing is found there,
/// not even the empty string).
fn window(s: &str, args: &[Value]) -> PyResult<Option<(usize, usize, usize)>> {
    let n = s.chars().count() as i64;
    let bound = |v: Option<&Value>, default: i64| -> PyResult<i64> {
        match v {
            None => Ok(default),
            Some(v) if v.is_none() => Ok(default),
            Some(&v) => {
                let i = v
                    .as_int()
                    .or_else(|| v.as_bool().map(i64::from))
                    .ok_or_else(|| {
                        PyErr::type_error(
                            "slice indices must be integers or None or have an __index__ method"
                                .into(),
                        )
                    })?;
                Ok(if i < 0 { (i + n).max(0) } else { i })
            }
        }
    };
    let start = bound(args.get(2), 0)?;
    let end = bound(args.get(3), n)?.min(n);
    if start > n {
        return Ok(None);
    }
    let byte_at = |c: i64| s.char_indices().nth(c as usize).map_or(s.len(), |(b, _)| b);
    let (lo, hi) = (byte_at(start), byte_at(end.max(start)));
    Ok(Some((lo, hi, start as usize)))
}

fn isdigit(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.isdigit", args, 0, 0)?;
    let s = self_text(cx, args)?;
    Ok(Value::bool(
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()),
    ))
}

fn encode(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.encode", args, 0, 1)?;
    let s = self_text(cx, args)?;
    cx.alloc(super::Obj::Bytes(s.into_bytes().into()))
}

fn search(
    cx: &mut dyn Ctx,
    args: &[Value],
    name: &str,
    from_right: bool,
    raise: bool,
) -> PyResult<Value> {
    arity(name, args, 1, 3)?;
    let s = self_text(cx, args)?;
    let sub = text(cx, args[1])?;
    let found = window(&s, args)?.and_then(|(lo, hi, first)| {
        let hay = s.get(lo..hi)?;
        let at = if from_right {
            hay.rfind(sub.as_str())
        } else {
            hay.find(sub.as_str())
        }?;
        Some(first + hay.get(..at)?.chars().count())
    });
    match found {
        Some(at) => Ok(Value::int(at as i64).unwrap_or(Value::NONE)),
        None if raise => Err(PyErr::new(TypeId::ValueError, "substring not found")),
        None => Ok(Value::int(-1).unwrap_or(Value::NONE)),
    }
}

fn index(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    search(cx, args, "str.index", false, true)
}

fn rfind(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    search(cx, args, "str.rfind", true, false)
}

fn rindex(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    search(cx, args, "str.rindex", true, true)
}

fn partition_with(
    cx: &mut dyn Ctx,
    args: &[Value],
    name: &str,
    from_right: bool,
) -> PyResult<Value> {
    arity(name, args, 1, 1)?;
    let s = self_text(cx, args)?;
    let sep = text(cx, args[1])?;
    if sep.is_empty() {
        return Err(PyErr::new(TypeId::ValueError, "empty separator"));
    }
    let found = if from_right {
        s.rfind(sep.as_str())
    } else {
        s.find(sep.as_str())
    };
    let (a, b, c) = match found {
        Some(at) => (&s[..at], sep.as_str(), &s[at + sep.len()..]),
        None if from_right => ("", "", s.as_str()),
        None => (s.as_str(), "", ""),
    };
    let mut items = vec_with(3)?;
    for part in [a, b, c] {
        items.push(new_str(cx, part.to_owned())?);
    }
    super::obj::new_tuple(cx, items)
}

fn partition(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    partition_with(cx, args, "str.partition", false)
}

fn rpartition(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    partition_with(cx, args, "str.rpartition", true)
}

fn splitlines(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.splitlines", args, 0, 0)?;
    let s = self_text(cx, args)?;
    let lines: Vec<String> = s.lines().map(String::from).collect();
    let mut items = vec_with(lines.len())?;
    for l in lines {
        items.push(new_str(cx, l)?);
    }
    new_list(cx, items)
}

fn test_chars(
    cx: &mut dyn Ctx,
    args: &[Value],
    name: &str,
    test: fn(&str) -> bool,
) -> PyResult<Value> {
    arity(name, args, 0, 0)?;
    let s = self_text(cx, args)?;
    Ok(Value::bool(test(&s)))
}

fn isalpha(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    test_chars(cx, args, "str.isalpha", |s| {
        !s.is_empty() && s.chars().all(char::is_alphabetic)
    })
}

fn isalnum(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    test_chars(cx, args, "str.isalnum", |s| {
        !s.is_empty() && s.chars().all(char::is_alphanumeric)
    })
}

fn isspace(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    test_chars(cx, args, "str.isspace", |s| {
        !s.is_empty() && s.chars().all(char::is_whitespace)
    })
}

fn isupper(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    test_chars(cx, args, "str.isupper", |s| {
        s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
    })
}

fn islower(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    test_chars(cx, args, "str.islower", |s| {
        s.chars().any(char::is_lowercase) && !s.chars().any(char::is_uppercase)
    })
}

fn title(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.title", args, 0, 0)?;
    let s = self_text(cx, args)?;
    let mut out = string_with(s.len())?;
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    new_str(cx, out)
}

fn capitalize(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.capitalize", args, 0, 0)?;
    let s = self_text(cx, args)?;
    let mut chars = s.chars();
    let mut out = string_with(s.len())?;
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.extend(chars.flat_map(char::to_lowercase));
    }
    new_str(cx, out)
}

fn justify(cx: &mut dyn Ctx, args: &[Value], name: &str, align: char) -> PyResult<Value> {
    arity(name, args, 1, 2)?;
    let s = self_text(cx, args)?;
    let width = args[1].as_int().ok_or_else(|| {
        PyErr::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            cx.store().type_name(args[1])
        ))
    })?;
    let fill = match args.get(2) {
        Some(f) => {
            let t = text(cx, *f)?;
            let mut chars = t.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(PyErr::new(
                        TypeId::TypeError,
                        "The fill character must be exactly one character long",
                    ));
                }
            }
        }
        None => ' ',
    };
    let len = s.chars().count();
    let width = usize::try_from(width).unwrap_or(0);
    if width <= len {
        return Ok(args[0]);
    }
    cx.room(width.saturating_mul(fill.len_utf8()))?;
    let n = width - len;
    let (left, right) = match align {
        '<' => (0, n),
        '>' => (n, 0),
        // CPython puts the odd fill character on the left when the width is odd.
        _ => {
            let left = n / 2 + (n & width & 1);
            (left, n - left)
        }
    };
    let mut out = string_with(s.len() + n * fill.len_utf8())?;
    (0..left).for_each(|_| out.push(fill));
    out.push_str(&s);
    (0..right).for_each(|_| out.push(fill));
    new_str(cx, out)
}

fn center(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    justify(cx, args, "str.center", '^')
}

fn ljust(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    justify(cx, args, "str.ljust", '<')
}

fn rjust(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    justify(cx, args, "str.rjust", '>')
}

fn zfill(cx: &mut dyn Ctx, args: &[Value]) -> PyResult<Value> {
    arity("str.zfill", args, 1, 1)?;
    let s = self_text(cx, args)?;
    let width = usize::try_from(args[1].as_int().unwrap_or(0)).unwrap_or(0);
    let len = s.chars().count();
    if width <= len {
        return Ok(args[0]);
    }
    cx.room(width)?;
    let (sign, digits) = match s.strip_prefix(['+', '-']) {
        Some(rest) => (&s[..1], rest),
        None => ("", s.as_str()),
    };
    let mut out = string_with(width)?;
    out.push_str(sign);
    (0..width - len).for_each(|_| out.push('0'));
    out.push_str(digits);
    new_str(cx, out)
}
