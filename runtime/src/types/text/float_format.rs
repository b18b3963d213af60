//! Floats printed with a precision, as `format(x, '.2f')`, `'%e' % x` and f-strings print them.
//! In: a float, a presentation type and a precision. Out: the exactly rounded digits (round half
//! to even on the float's exact binary value, like CPython's dtoa), appended to a String.

use alloc::string::String;
use core::fmt::Write;

use num_traits::Zero;

use crate::types::number::{ArithError, scaled_round};

/// The largest precision `format_float` accepts: far beyond the 17 digits a float holds, and
/// small enough that the exact arithmetic stays cheap (`'%.10000f' % 1e308` is a 10 KB string).
pub const MAX_FLOAT_PRECISION: usize = 10_000;

/// A presentation type of a float format spec.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum FloatKind {
    /// `f`/`F`: `precision` digits after the point.
    Fixed,
    /// `e`/`E`: one digit, the point, `precision` digits, `e`, a sign and at least two digits.
    Exponent,
    /// `g`/`G`: `precision` significant digits, fixed or exponent by size, no trailing zeros.
    General,
    /// No type but a precision (`format(x, '.3')`): like `General`, but a fixed result keeps
    /// one digit after the point and exponent form starts one power of ten earlier.
    GeneralDot0,
}

/// Appends |x| formatted as `kind` with `precision` (`alternate` is the `#` flag: keep the
/// point and trailing zeros; `upper` gives `E`, `INF`, `NAN`). The caller writes the sign, from
/// `x.is_sign_negative()` (so `-0.001` with `.2f` is `-0.00`, as in Python).
pub fn format_float(
    x: f64,
    kind: FloatKind,
    precision: usize,
    alternate: bool,
    upper: bool,
    out: &mut String,
) -> Result<(), ArithError> {
    if precision > MAX_FLOAT_PRECISION {
        return Err(ArithError::TooLarge);
    }
    let x = libm::fabs(x);
    if !x.is_finite() {
        let word = match (x.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        };
        out.push_str(word);
        return Ok(());
    }
    let exp_char = if upper { 'E' } else { 'e' };
    match kind {
        FloatKind::Fixed => {
            let digits = scaled_round(x, precision as i64).to_str_radix(10);
            place_point(&digits, precision, alternate, out);
        }
        FloatKind::Exponent => {
            let (digits, exp) = significant(x, precision + 1);
            exponent_form(&digits, exp, alternate, exp_char, out);
        }
        FloatKind::General | FloatKind::GeneralDot0 => {
            let dot0 = kind == FloatKind::GeneralDot0;
            let p = precision.max(1);
            let (digits, exp) = significant(x, p);
            let limit = if dot0 { p as i64 - 1 } else { p as i64 };
            let mut text = String::new();
            if exp < -4 || exp >= limit {
                exponent_form(&digits, exp, true, exp_char, &mut text);
            } else {
                let frac = (p as i64 - 1 - exp).max(0) as usize;
                let digits = scaled_round(x, frac as i64).to_str_radix(10);
                place_point(&digits, frac, true, &mut text);
            }
            if !alternate {
                trim_fraction(&mut text, exp_char, dot0);
            }
            out.push_str(&text);
        }
    }
    Ok(())
}

/// `x` rounded to `p >= 1` significant digits: the digits and the decimal exponent of the
/// first one (`(digits, exp)` means `d.ddd * 10^exp`).
fn significant(x: f64, p: usize) -> (String, i64) {
    if x == 0.0 {
        return (String::from("0").repeat(p), 0);
    }
    // An estimate of floor(log10(x)) that is off by at most one; each correction step moves
    // toward the answer, so a few steps always suffice.
    let mut exp = libm::floor(libm::log10(x)) as i64;
    let mut text = String::new();
    for _ in 0..4 {
        let n = scaled_round(x, p as i64 - 1 - exp);
        text = n.to_str_radix(10);
        match text.len().cmp(&p) {
            core::cmp::Ordering::Greater => exp += 1,
            core::cmp::Ordering::Less if !n.is_zero() => exp -= 1,
            _ => break,
        }
    }
    (text, exp)
}

/// Writes `digits` with the point `frac` places from the right (zero-padded on the left).
fn place_point(digits: &str, frac: usize, alternate: bool, out: &mut String) {
    if frac == 0 {
        out.push_str(digits);
        if alternate {
            out.push('.');
        }
        return;
    }
    let padded;
    let digits = if digits.len() <= frac {
        padded = String::from("0").repeat(frac + 1 - digits.len()) + digits;
        padded.as_str()
    } else {
        digits
    };
    let (int_part, frac_part) = digits
        .split_at_checked(digits.len() - frac)
        .unwrap_or((digits, ""));
    out.push_str(int_part);
    out.push('.');
    out.push_str(frac_part);
}

fn exponent_form(digits: &str, exp: i64, alternate: bool, exp_char: char, out: &mut String) {
    let (first, rest) = digits.split_at_checked(1).unwrap_or((digits, ""));
    out.push_str(first);
    if !rest.is_empty() || alternate {
        out.push('.');
    }
    out.push_str(rest);
    let sign = if exp < 0 { '-' } else { '+' };
    let _ = write!(out, "{exp_char}{sign}{:02}", exp.unsigned_abs());
}

/// Drops trailing zeros of the fraction (and a bare point); `dot0` keeps `.0` on a fixed result.
fn trim_fraction(text: &mut String, exp_char: char, dot0: bool) {
    let split = text.find(exp_char).unwrap_or(text.len());
    let exponent = text.split_off(split);
    if text.contains('.') {
        while text.ends_with('0') {
            text.pop();
        }
        if text.ends_with('.') {
            if dot0 && exponent.is_empty() {
                text.push('0');
            } else {
                text.pop();
            }
        }
    } else if dot0 && exponent.is_empty() {
        text.push_str(".0");
    }
    text.push_str(&exponent);
}
