//! Float formatting as Python's `repr`: the shortest text that round-trips, positional for
//! exponents -4..16, scientific (`1e+16`, `1.5e-05`) otherwise. In: an f64. Out: text.

use alloc::string::String;

/// Appends Python's `repr` of `f`.
pub fn repr_into(f: f64, out: &mut String) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(f);
    let (neg, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mant, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    let mut digits: String = String::new();
    digits.push_str(int_part);
    digits.push_str(frac_part);
    // Decimal exponent of the first digit: value = 0.d1d2.. * 10^point.
    let mut point = int_part.len() as i32 + exp;
    let trimmed = digits.trim_start_matches('0');
    point -= (digits.len() - trimmed.len()) as i32;
    let digits = trimmed.trim_end_matches('0');
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push_str("0.0");
        return;
    }
    let sci_exp = point - 1;
    if (-4..16).contains(&sci_exp) {
        if point <= 0 {
            out.push_str("0.");
            (0..-point).for_each(|_| out.push('0'));
            out.push_str(digits);
        } else if point as usize >= digits.len() {
            out.push_str(digits);
            (0..point as usize - digits.len()).for_each(|_| out.push('0'));
            out.push_str(".0");
        } else {
            let (a, b) = digits.split_at(point as usize);
            out.push_str(a);
            out.push('.');
            out.push_str(b);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if sci_exp < 0 { '-' } else { '+' });
        let e = sci_exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        let _ = core::fmt::Write::write_fmt(out, format_args!("{e}"));
    }
}
