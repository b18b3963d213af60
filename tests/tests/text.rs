//! Text semantics against CPython. In: the vector files in fixtures/text/ (written by
//! fixtures/text/gen.py from CPython 3.11). Out: pass, or every case that differs.

use std::str::FromStr;

use frost_runtime::types::text::{self, FloatKind, Radix};
use frost_tests::vectors::{cases, report};
use num_bigint::BigInt;

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

fn unhex_str(hex: &str) -> String {
    String::from_utf8(unhex(hex)).expect("utf-8 text")
}

fn float_from_bits(hex: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(hex, 16).expect("IEEE bits"))
}

#[test]
fn float_repr_matches_cpython() {
    let cases = cases("text", "float_repr.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [bits, want] = f.as_slice() else {
            panic!("float_repr.txt:{line}: malformed")
        };
        let mut got = String::new();
        text::float_repr(float_from_bits(bits), &mut got);
        if got != *want {
            failures.push(format!("line {line}: want {want}, got {got}"));
        }
    }
    report("float_repr.txt", cases.len(), failures);
}

/// Reads a format spec of the vector file: `#`, `.precision`, a type letter.
fn parse_spec(spec: &str) -> (FloatKind, usize, bool, bool) {
    let alternate = spec.starts_with('#');
    let spec = spec.trim_start_matches('#');
    let (precision, letter) = match spec.strip_prefix('.') {
        Some(rest) => {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            (Some(rest[..end].parse().expect("precision")), &rest[end..])
        }
        None => (None, spec),
    };
    let kind = match letter.to_ascii_lowercase().as_str() {
        "f" => FloatKind::Fixed,
        "e" => FloatKind::Exponent,
        "g" => FloatKind::General,
        "" => FloatKind::GeneralDot0,
        other => panic!("type {other}"),
    };
    let upper = letter.chars().any(|c| c.is_ascii_uppercase());
    (kind, precision.unwrap_or(6), alternate, upper)
}

#[test]
fn float_format_matches_cpython() {
    let cases = cases("text", "float_format.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [bits, spec, want] = f.as_slice() else {
            panic!("float_format.txt:{line}: malformed")
        };
        let x = float_from_bits(bits);
        let (kind, precision, alternate, upper) = parse_spec(spec);
        let mut got = String::new();
        if x.is_sign_negative() && !x.is_nan() {
            got.push('-');
        }
        text::format_float(x, kind, precision, alternate, upper, &mut got).expect("precision");
        if got != *want {
            failures.push(format!(
                "line {line}: format({x:?}, {spec:?}): want {want}, got {got}"
            ));
        }
    }
    report("float_format.txt", cases.len(), failures);
}

#[test]
fn float_format_refuses_absurd_precision() {
    let mut out = String::new();
    let too_big = text::MAX_FLOAT_PRECISION + 1;
    assert!(text::format_float(1.0, FloatKind::Fixed, too_big, false, false, &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn int_str_matches_cpython() {
    let cases = cases("text", "int_str.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [n, radix, literal, formatted] = f.as_slice() else {
            panic!("int_str.txt:{line}: malformed")
        };
        let n = BigInt::from_str(n).expect("decimal int");
        let radix = match radix.as_str() {
            "bin" => Radix::Bin,
            "oct" => Radix::Oct,
            "dec" => Radix::Dec,
            "hex" => Radix::Hex,
            other => panic!("int_str.txt:{line}: radix {other}"),
        };
        let (got_literal, got_formatted) =
            (text::int_literal(&n, radix), text::int_to_str(&n, radix));
        if (&got_literal, &got_formatted) != (literal, formatted) {
            failures.push(format!(
                "line {line}: want {literal} / {formatted}, got {got_literal} / {got_formatted}"
            ));
        }
    }
    report("int_str.txt", cases.len(), failures);
}

#[test]
fn parse_int_matches_cpython() {
    let cases = cases("text", "parse_int.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [hex, base, want, readable] = f.as_slice() else {
            panic!("parse_int.txt:{line}: malformed")
        };
        let base: u32 = base.parse().expect("base");
        let got = match text::parse_int(&unhex_str(hex), base) {
            Ok(n) => n.to_string(),
            Err(()) => "error".to_owned(),
        };
        if got != *want {
            failures.push(format!(
                "line {line}: int({readable}, {base}): want {want}, got {got}"
            ));
        }
    }
    report("parse_int.txt", cases.len(), failures);
}

#[test]
fn parse_float_matches_cpython() {
    let cases = cases("text", "parse_float.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [hex, want, readable] = f.as_slice() else {
            panic!("parse_float.txt:{line}: malformed")
        };
        let got = match text::parse_float(&unhex_str(hex)) {
            Some(x) if x.is_nan() => "nan".to_owned(),
            Some(x) => format!("{:016x}", x.to_bits()),
            None => "error".to_owned(),
        };
        if got != *want {
            failures.push(format!(
                "line {line}: float({readable}): want {want}, got {got}"
            ));
        }
    }
    report("parse_float.txt", cases.len(), failures);
}

#[test]
fn str_repr_matches_cpython() {
    let cases = cases("text", "str_repr.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [hex, want] = f.as_slice() else {
            panic!("str_repr.txt:{line}: malformed")
        };
        let mut got = String::new();
        text::str_repr(&unhex_str(hex), &mut got);
        if got != *want {
            failures.push(format!("line {line}: want {want}, got {got}"));
        }
    }
    report("str_repr.txt", cases.len(), failures);
}

#[test]
fn bytes_repr_matches_cpython() {
    let cases = cases("text", "bytes_repr.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [hex, want] = f.as_slice() else {
            panic!("bytes_repr.txt:{line}: malformed")
        };
        let mut got = String::new();
        text::bytes_repr(&unhex(hex), &mut got);
        if got != *want {
            failures.push(format!("line {line}: want {want}, got {got}"));
        }
    }
    report("bytes_repr.txt", cases.len(), failures);
}

/// Hashes of text are frost's own (FNV-1a folded to 47 bits), not CPython's randomised SipHash:
/// they must be stable across runs and builds, and small ints so `hash()` never allocates.
#[test]
fn text_hashes_are_fixed_small_and_never_minus_one() {
    let fold = |h: u64| ((h ^ (h >> 47)) & ((1 << 47) - 1)) as i64;
    assert_eq!(text::hash_str(""), fold(0xcbf2_9ce4_8422_2325));
    assert_eq!(text::hash_str("a"), fold(0xaf63_dc4c_8601_ec8c));
    assert_ne!(text::hash_str("a"), text::hash_bytes(b"a"));
    assert_eq!(text::hash_bytes(b"abc"), text::hash_bytes(b"abc"));
    for i in 0..10_000u32 {
        let s = i.to_string();
        for h in [text::hash_str(&s), text::hash_bytes(s.as_bytes())] {
            assert!((0..1 << text::TEXT_HASH_BITS).contains(&h), "{s}: {h}");
        }
    }
}
