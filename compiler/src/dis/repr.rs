//! Python reprs of image constants for the disassembler. In: a verified `Loaded` module. Out:
//! one repr per constant, as Python prints it: ints, floats (`1e+16`, `-0.0`, `nan`), quoted
//! strings and bytes with Python's escapes, tuples (`(1,)`).
//!
//! Until the runtime's own text formatting exists (`types::text`), this is a small formatter of
//! its own; it only has to be right for what the disassembler prints.

use num_bigint::BigInt;

use frost_runtime::image::{Loaded, LoadedConst};

/// Longest tuple repr built: constant tuples may nest their items many times over, and the
/// disassembly of a hostile image must stay small. Longer reprs end with `...`.
const MAX_TUPLE_REPR: usize = 1000;

/// The repr of every constant, in table order. Tuples refer to earlier entries only (verified),
/// so each repr is built from ones already made, without recursion.
pub fn const_reprs(loaded: &Loaded) -> Vec<String> {
    let mut reprs: Vec<String> = Vec::with_capacity(loaded.consts.len());
    for konst in &loaded.consts {
        let repr = match konst {
            LoadedConst::None => "None".into(),
            LoadedConst::False => "False".into(),
            LoadedConst::True => "True".into(),
            LoadedConst::Ellipsis => "Ellipsis".into(),
            LoadedConst::Int(i) => i.to_string(),
            LoadedConst::BigInt(span) => {
                BigInt::from_signed_bytes_le(loaded.slice(span)).to_string()
            }
            LoadedConst::Float(f) => float_repr(*f),
            LoadedConst::Str(span) => str_repr(loaded.text(span)),
            LoadedConst::Bytes(span) => bytes_repr(loaded.slice(span)),
            LoadedConst::Tuple(items) => tuple_repr(items, &reprs),
        };
        reprs.push(repr);
    }
    reprs
}

fn tuple_repr(items: &[u32], reprs: &[String]) -> String {
    let mut out = String::from("(");
    for (n, &item) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        if out.len() > MAX_TUPLE_REPR {
            out.push_str("...");
            break;
        }
        out.push_str(reprs.get(item as usize).map_or("?", String::as_str));
    }
    if items.len() == 1 {
        out.push(',');
    }
    out.push(')');
    out
}

/// Python's `repr(float)`: the shortest digits that round-trip, positional when the decimal
/// exponent is in -4..16, else scientific with a signed two-digit (or longer) exponent.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-5", "1e16", "0e0".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if !(-5 < exp && exp < 16) {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exp.abs());
    }
    let point = exp + 1;
    let body = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
    } else {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

/// Python's `repr(str)`: single quotes unless the text has `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            // C0 and C1 controls and DEL are escaped; other non-ASCII prints as itself.
            c if (c as u32) < 0x20 || (0x7F..0xA0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `repr(bytes)`: `b'..'`, printable ASCII as itself, the rest as `\xNN`.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(char::from(quote));
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            q if q == quote => {
                out.push('\\');
                out.push(char::from(q));
            }
            0x20..=0x7E => out.push(char::from(byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(char::from(quote));
    out
}
