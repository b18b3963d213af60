//! Python reprs of image constants for the disassembler. In: a verified `Loaded` module. Out:
//! one repr per constant, as Python prints it: ints, floats (`1e+16`, `-0.0`, `nan`), quoted
//! strings and bytes with Python's escapes, tuples (`(1,)`). Scalars use the runtime's own
//! `types::text`, so the disassembly shows exactly what `repr()` would at run time.

use num_bigint::BigInt;

use frost_runtime::image::{Loaded, LoadedConst};
use frost_runtime::types::text;

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
            LoadedConst::Float(f) => with(|out| text::float_repr(*f, out)),
            LoadedConst::Complex(re, im) => complex_repr(*re, *im),
            LoadedConst::Str(span) => str_repr(loaded.text(span)),
            LoadedConst::Bytes(span) => with(|out| text::bytes_repr(loaded.slice(span), out)),
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

/// Python's `repr(str)`.
pub fn str_repr(s: &str) -> String {
    with(|out| text::str_repr(s, out))
}

fn with(write: impl FnOnce(&mut String)) -> String {
    let mut out = String::new();
    write(&mut out);
    out
}

/// Python's repr of a complex: `2j`, `(1+2j)`, `(-0-1j)`; parts print as floats do, without a
/// trailing `.0` (as CPython does).
pub fn complex_repr(re: f64, im: f64) -> String {
    let part = |x: f64| {
        let text = with(|out| text::float_repr(x, out));
        match text.strip_suffix(".0") {
            Some(whole) => whole.to_string(),
            None => text,
        }
    };
    if re == 0.0 && re.is_sign_positive() {
        return format!("{}j", part(im));
    }
    let sign = if im.is_sign_negative() || im.is_nan() && im.is_sign_negative() {
        ""
    } else {
        "+"
    };
    format!("({}{sign}{}j)", part(re), part(im))
}
