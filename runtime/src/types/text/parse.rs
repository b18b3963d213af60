//! Numbers read from text, as `int(str, base)` and `float(str)` read them. In: a str (and a
//! base). Out: the number, or a rejection the caller words (`invalid literal for int() with
//! base 10: '12a'`, `could not convert string to float: 'x'`).
//!
//! Like CPython, both accept any Unicode decimal digit (`int('٣')` is 3) by reading it as its
//! ASCII digit first.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use num_bigint::{BigInt, Sign};

/// `int(text, base)` for base 0 or 2..=36: surrounding whitespace, a sign, single underscores
/// between digits (and after a prefix), the prefix `0x`/`0o`/`0b` when it matches the base
/// (base 0: the prefix decides, else decimal where only zero may have leading zeros).
#[expect(
    clippy::result_unit_err,
    reason = "the caller words the ValueError with the text"
)]
pub fn parse_int(text: &str, base: u32) -> Result<BigInt, ()> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(());
    }
    let text = ascii_digits(text.trim_matches(is_space));
    let (negative, body) = split_sign(&text);
    let (radix, digits, prefixed) = split_prefix(body, base);
    let digits = digits
        .strip_prefix('_')
        .filter(|_| prefixed)
        .unwrap_or(digits);
    let mut values: Vec<u8> = Vec::with_capacity(digits.len());
    for group in digits.split('_') {
        if group.is_empty() {
            return Err(()); // leading, trailing or doubled underscore, or no digits
        }
        for c in group.chars() {
            match c.to_digit(radix) {
                Some(d) => values.push(d as u8),
                None => return Err(()),
            }
        }
    }
    // Base 0 reads `010` as a mistake, not as octal: only zero may start with `0`.
    if base == 0 && !prefixed && values.first() == Some(&0) && values.iter().any(|&d| d != 0) {
        return Err(());
    }
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    BigInt::from_radix_be(sign, &values, radix).ok_or(())
}

/// `float(text)`: surrounding whitespace, a sign, `inf`, `infinity` and `nan` in any case,
/// decimal digits with single underscores between digits, a fraction and an exponent.
pub fn parse_float(text: &str) -> Option<f64> {
    let text = ascii_digits(text.trim_matches(is_space));
    let (negative, body) = split_sign(&text);
    let magnitude = if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        f64::INFINITY
    } else if body.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        decimal(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// A decimal float literal without sign: checks Python's grammar, then lets core's correctly
/// rounded parser read it without its underscores.
fn decimal(body: &str) -> Option<f64> {
    let bytes = body.as_bytes();
    let mut pos = 0;
    let int_digits = digit_run(bytes, &mut pos)?;
    let mut frac_digits = 0;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        frac_digits = digit_run(bytes, &mut pos)?;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        if digit_run(bytes, &mut pos)? == 0 {
            return None;
        }
    }
    if pos != bytes.len() {
        return None;
    }
    let plain: String = body.chars().filter(|&c| c != '_').collect();
    plain.parse().ok()
}

/// Skips ASCII digits with single underscores between them; returns how many digits, or
/// `None` for a misplaced underscore.
fn digit_run(bytes: &[u8], pos: &mut usize) -> Option<usize> {
    let mut count = 0;
    loop {
        match bytes.get(*pos) {
            Some(b) if b.is_ascii_digit() => count += 1,
            Some(b'_') if count > 0 && bytes.get(*pos + 1).is_some_and(u8::is_ascii_digit) => {}
            Some(b'_') => return None,
            _ => return Some(count),
        }
        *pos += 1;
    }
}

/// Removes one leading `+` or `-`; true for `-`.
fn split_sign(s: &str) -> (bool, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    }
}

/// The radix, the digits after any prefix, and whether a prefix was removed.
fn split_prefix(s: &str, base: u32) -> (u32, &str, bool) {
    let prefix = s.get(..2).map(str::to_ascii_lowercase);
    let prefix_base = match prefix.as_deref() {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => 0,
    };
    match (base, s.get(2..)) {
        (0, Some(rest)) if prefix_base != 0 => (prefix_base, rest, true),
        (0, _) => (10, s, false),
        (b, Some(rest)) if b == prefix_base => (b, rest, true),
        (b, _) => (b, s, false),
    }
}

/// What `int()` and `float()` strip: C's ASCII whitespace, and beyond ASCII the Unicode
/// White_Space characters (U+0085, U+00A0, U+3000, ...). CPython keeps `\x1c`..`\x1f`.
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
    } else {
        c.is_whitespace()
    }
}

/// `text` with every Unicode decimal digit replaced by its ASCII digit (CPython's
/// `_PyUnicode_TransformDecimalAndSpaceToASCII`); borrowed when already ASCII.
fn ascii_digits(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| decimal_digit(c).unwrap_or(c))
            .collect(),
    )
}

/// The ASCII digit for a Unicode decimal digit (category Nd).
fn decimal_digit(c: char) -> Option<char> {
    let code = u32::from(c);
    let zero = DECIMAL_ZEROS.iter().rev().find(|&&z| z <= code)?;
    char::from_digit(code - zero, 10)
}

/// The code point of every Unicode 14 digit zero; each starts a run of ten digits.
const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];
