//! Numeric semantics against CPython. In: the vector files in fixtures/number/ (written by
//! fixtures/number/gen.py from CPython 3.11). Out: pass, or every case that differs.

use std::str::FromStr;

use frost_runtime::image::{BinaryOp, UnaryOp};
use frost_runtime::types::number::{self, ArithError, Number, Small};
use frost_tests::vectors::{cases, report};
use num_bigint::BigInt;

/// A Python repr of an int or a float.
fn parse_number(text: &str) -> Number {
    let is_float = text.contains(['.', 'e', 'n']); // "inf", "nan" contain an 'n'
    if is_float {
        Number::Float(text.parse().unwrap_or_else(|_| panic!("bad float {text}")))
    } else {
        Number::Int(BigInt::from_str(text).unwrap_or_else(|_| panic!("bad int {text}")))
    }
}

/// The outcome in the vector files' notation.
fn describe(result: Result<Number, ArithError>) -> String {
    match result {
        Ok(Number::Int(i)) => i.to_string(),
        // The VM canonicalises NaNs: their sign and payload are not part of the semantics.
        Ok(Number::Float(f)) if f.is_nan() => "float nan".into(),
        Ok(Number::Float(f)) => format!("float {f:?} bits {:#x}", f.to_bits()),
        Err(ArithError::ZeroDivision(m)) => format!("ZeroDivisionError: {m}"),
        Err(ArithError::NegativeShift) => "ValueError: negative shift count".into(),
        Err(ArithError::Overflow(m)) => format!("OverflowError: {m}"),
        Err(ArithError::Unsupported) => "TypeError".into(),
        Err(ArithError::Complex) => "complex".into(),
        Err(ArithError::TooLarge) => "MemoryError".into(),
        Err(ArithError::InvalidValue(m)) => format!("ValueError: {m}"),
    }
}

/// The expected outcome in `describe`'s form. TypeError messages name Python types, which the
/// VM adds, so only the exception type is compared.
fn expected(text: &str) -> String {
    if text.starts_with("TypeError") {
        return "TypeError".into();
    }
    if text.contains(": ") || text == "complex" || text == "MemoryError" {
        return text.into();
    }
    describe(Ok(parse_number(text)))
}

fn binary_op(symbol: &str) -> BinaryOp {
    (0..=12)
        .filter_map(BinaryOp::from_u8)
        .find(|op| op.symbol() == symbol)
        .unwrap_or_else(|| panic!("unknown operator {symbol}"))
}

fn unary_op(symbol: &str) -> UnaryOp {
    (0..=3)
        .filter_map(UnaryOp::from_u8)
        .find(|op| op.symbol() == symbol)
        .unwrap_or_else(|| panic!("unknown operator {symbol}"))
}

#[test]
fn binary_matches_cpython() {
    let cases = cases("number", "binary.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [a, op, b, want] = f.as_slice() else {
            panic!("binary.txt:{line}: malformed")
        };
        let (a_num, b_num) = (parse_number(a), parse_number(b));
        let result = number::binary(binary_op(op), &a_num, &b_num);
        if let Some(fast) = fast_binary(binary_op(op), &a_num, &b_num)
            && describe(fast.clone()) != describe(result.clone())
        {
            failures.push(format!(
                "line {line}: {a} {op} {b}: fast path gives {fast:?}"
            ));
        }
        let got = describe(result);
        if got != expected(want) {
            failures.push(format!("line {line}: {a} {op} {b}: want {want}, got {got}"));
        }
    }
    report("binary.txt", cases.len(), failures);
}

/// The allocation-free path for the same operands, when it applies and gives a result.
fn fast_binary(op: BinaryOp, a: &Number, b: &Number) -> Option<Result<Number, ArithError>> {
    let small = |s: Small| match s {
        Small::Int(i) => Number::Int(BigInt::from(i)),
        Small::Float(f) => Number::Float(f),
    };
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => {
            let r = number::binary_i64(op, i64::try_from(x).ok()?, i64::try_from(y).ok()?)?;
            Some(r.map(small))
        }
        (Number::Float(x), Number::Float(y)) => {
            Some(number::binary_f64(op, *x, *y).map(Number::Float))
        }
        _ => None,
    }
}

#[test]
fn unary_matches_cpython() {
    let cases = cases("number", "unary.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [op, a, want] = f.as_slice() else {
            panic!("unary.txt:{line}: malformed")
        };
        let a_num = parse_number(a);
        let got = describe(number::unary(unary_op(op), &a_num));
        if let Number::Int(x) = &a_num {
            let fast = i64::try_from(x)
                .ok()
                .and_then(|x| number::unary_i64(unary_op(op), x));
            if let Some(fast) = fast {
                let fast = describe(fast.map(|i| Number::Int(BigInt::from(i))));
                if fast != got {
                    failures.push(format!("line {line}: {op}{a}: fast path gives {fast}"));
                }
            }
        }
        if got != expected(want) {
            failures.push(format!("line {line}: {op}{a}: want {want}, got {got}"));
        }
    }
    report("unary.txt", cases.len(), failures);
}

#[test]
fn not_is_not_numeric() {
    let one = Number::Int(BigInt::from(1));
    assert_eq!(
        number::unary(UnaryOp::Not, &one),
        Err(ArithError::Unsupported)
    );
}

#[test]
fn compare_matches_cpython() {
    let cases = cases("number", "compare.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [a, b, want] = f.as_slice() else {
            panic!("compare.txt:{line}: malformed")
        };
        let got = match number::compare(&parse_number(a), &parse_number(b)) {
            None => "unordered",
            Some(std::cmp::Ordering::Less) => "<",
            Some(std::cmp::Ordering::Equal) => "==",
            Some(std::cmp::Ordering::Greater) => ">",
        };
        if got != want {
            failures.push(format!("line {line}: {a} vs {b}: want {want}, got {got}"));
        }
    }
    report("compare.txt", cases.len(), failures);
}

#[test]
fn hash_matches_cpython() {
    let cases = cases("number", "hash.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [v, want] = f.as_slice() else {
            panic!("hash.txt:{line}: malformed")
        };
        let got = match parse_number(v) {
            Number::Int(i) => {
                let h = number::hash_int(&i);
                if let Ok(small) = i64::try_from(&i)
                    && number::hash_i64(small) != h
                {
                    failures.push(format!("line {line}: hash_i64({v}) differs"));
                }
                h
            }
            Number::Float(x) => number::hash_float(x),
        };
        if got.to_string() != *want {
            failures.push(format!("line {line}: hash({v}): want {want}, got {got}"));
        }
    }
    report("hash.txt", cases.len(), failures);
}

#[test]
fn conversions_match_cpython() {
    let cases = cases("number", "convert.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [func, arg, want] = f.as_slice() else {
            panic!("convert.txt:{line}: malformed")
        };
        let got = match (func.as_str(), parse_number(arg)) {
            ("float", Number::Int(i)) => describe(number::int_to_f64(&i).map(Number::Float)),
            ("int", Number::Float(x)) => describe(number::float_to_int(x).map(Number::Int)),
            _ => panic!("convert.txt:{line}: bad case"),
        };
        if got != expected(want) {
            failures.push(format!(
                "line {line}: {func}({arg}): want {want}, got {got}"
            ));
        }
    }
    report("convert.txt", cases.len(), failures);
}

#[test]
fn round_matches_cpython() {
    let cases = cases("number", "round.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [kind, x, ndigits, want] = f.as_slice() else {
            panic!("round.txt:{line}: malformed")
        };
        let ndigits: Option<i64> = ndigits.parse().ok();
        let got = match (kind.as_str(), parse_number(x), ndigits) {
            ("float", Number::Float(v), None) => {
                describe(number::round_float_to_int(v).map(Number::Int))
            }
            ("float", Number::Float(v), Some(n)) => {
                describe(number::round_float(v, n).map(Number::Float))
            }
            ("int", Number::Int(i), Some(n)) => describe(Ok(Number::Int(number::round_int(&i, n)))),
            _ => panic!("round.txt:{line}: bad case"),
        };
        if got != expected(want) {
            failures.push(format!(
                "line {line}: round({x}, {ndigits:?}): want {want}, got {got}"
            ));
        }
    }
    report("round.txt", cases.len(), failures);
}

#[test]
fn divmod_matches_cpython() {
    let cases = cases("number", "divmod.txt");
    let mut failures = Vec::new();
    for (line, f) in &cases {
        let [a, b, want] = f.as_slice() else {
            panic!("divmod.txt:{line}: malformed")
        };
        let got = match number::divmod(&parse_number(a), &parse_number(b)) {
            Ok((q, r)) => format!("({}, {})", describe(Ok(q)), describe(Ok(r))),
            Err(e) => describe(Err(e)),
        };
        let want_described = match want.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
            Some(pair) => {
                let (q, r) = pair.split_once(", ").expect("a pair");
                format!("({}, {})", expected(q), expected(r))
            }
            None => expected(want),
        };
        if got != want_described {
            failures.push(format!(
                "line {line}: divmod({a}, {b}): want {want}, got {got}"
            ));
        }
    }
    report("divmod.txt", cases.len(), failures);
}

#[test]
fn int_bytes_match_cpython() {
    let cases = cases("number", "int_bytes.txt");
    let mut failures = Vec::new();
    let unhex = |h: &str| -> Vec<u8> {
        let h = if h == "empty" { "" } else { h };
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    };
    for (line, f) in &cases {
        let [dir, value, length, order, signed, want] = f.as_slice() else {
            panic!("int_bytes.txt:{line}: malformed")
        };
        let (big, signed) = (order == "big", signed == "True");
        let got = if dir == "to" {
            let n = BigInt::from_str(value).expect("int");
            let length = length.parse().expect("length");
            match number::int_to_bytes(&n, length, big, signed) {
                Ok(b) if b.is_empty() => "empty".to_owned(),
                Ok(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
                Err(e) => describe(Err(e)),
            }
        } else {
            number::int_from_bytes(&unhex(value), big, signed).to_string()
        };
        if got != *want {
            failures.push(format!(
                "line {line}: {}: want {want}, got {got}",
                f.join(" ")
            ));
        }
    }
    report("int_bytes.txt", cases.len(), failures);
}
