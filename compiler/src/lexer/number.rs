//! Number literals. In: source text starting at a digit or at `.digit`. Out: an `Int` (any size,
//! as `BigInt`) or `Float` token and its length, or CPython's error for a malformed literal.

use nom::IResult;
use nom::bytes::complete::take_while;
use num_bigint::BigInt;

use super::{Tok, is_name_continue, span};
use crate::diag::CompileError;

/// Lexes the number at the start of `text`, which begins at byte `at` of the source.
pub fn lex(text: &str, at: usize) -> Result<(Tok, usize), CompileError> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b'0') {
        let radix = match bytes.get(1).map(u8::to_ascii_lowercase) {
            Some(b'x') => Some((16, "hexadecimal")),
            Some(b'o') => Some((8, "octal")),
            Some(b'b') => Some((2, "binary")),
            _ => None,
        };
        if let Some((radix, name)) = radix {
            return radix_int(text, at, radix, name);
        }
    }
    decimal(text, at)
}

fn radix_int(text: &str, at: usize, radix: u32, name: &str) -> Result<(Tok, usize), CompileError> {
    // One underscore may follow the base prefix: `0x_ff`.
    let skip = if text.get(2..).is_some_and(|s| s.starts_with('_')) {
        3
    } else {
        2
    };
    let body = text.get(skip..).unwrap_or("");
    let (len, digits) = digit_part(body, |c| c.is_digit(radix));
    let end = if digits.is_empty() { 2 } else { skip + len };
    let next = text.get(end..).and_then(|s| s.chars().next());
    let keyword_next = keyword_follows(text.get(end..).unwrap_or(""));
    if let Some(c) = next.filter(|&c| is_name_continue(c) && !keyword_next) {
        let message = if c.is_ascii_digit() {
            format!("invalid digit '{c}' in {name} literal")
        } else {
            format!("invalid {name} literal")
        };
        return Err(CompileError::syntax(message, span(at + end, at + end)));
    }
    if digits.is_empty() {
        // CPython points at the base letter of a prefix with no digits (`0x`).
        return Err(CompileError::syntax(
            format!("invalid {name} literal"),
            span(at + 1, at + 2),
        ));
    }
    let value = BigInt::parse_bytes(digits.as_bytes(), radix).ok_or_else(|| {
        CompileError::syntax(format!("invalid {name} literal"), span(at, at + end))
    })?;
    Ok((Tok::Int(value), end))
}

fn decimal(text: &str, at: usize) -> Result<(Tok, usize), CompileError> {
    let invalid = || CompileError::syntax("invalid decimal literal", span(at, at));
    let is_digit = |c: char| c.is_ascii_digit();
    let (int_len, int_digits) = digit_part(text, is_digit);
    let mut end = int_len;
    let mut is_float = false;
    let mut literal = int_digits.clone();
    if text.get(end..).is_some_and(|s| s.starts_with('.')) {
        is_float = true;
        end += 1;
        literal.push('.');
        let (len, digits) = digit_part(text.get(end..).unwrap_or(""), is_digit);
        end += len;
        literal.push_str(&digits);
    }
    if text.get(end..).is_some_and(|s| s.starts_with(['e', 'E'])) {
        let mut exp_end = end + 1;
        let mut exponent = String::from("e");
        if let Some(sign) = text.get(exp_end..).and_then(|s| s.chars().next())
            && (sign == '+' || sign == '-')
        {
            exponent.push(sign);
            exp_end += 1;
        }
        let (len, digits) = digit_part(text.get(exp_end..).unwrap_or(""), is_digit);
        if digits.is_empty() {
            return Err(invalid());
        }
        is_float = true;
        end = exp_end + len;
        literal.push_str(&exponent);
        literal.push_str(&digits);
    }
    let next = text.get(end..).and_then(|s| s.chars().next());
    let keyword_next = keyword_follows(text.get(end..).unwrap_or(""));
    if let Some(c) = next.filter(|&c| is_name_continue(c) && !keyword_next) {
        if c == 'j' || c == 'J' {
            return imaginary(text, at, &literal, end);
        }
        if c == '_' {
            // A misplaced underscore is pointed at itself (`1__0`, `1_`), as CPython does.
            return Err(CompileError::syntax(
                "invalid decimal literal",
                span(at + end, at + end + 1),
            ));
        }
        return Err(invalid());
    }
    if is_float {
        let value: f64 = literal.parse().map_err(|_| invalid())?;
        return Ok((Tok::Float(value), end));
    }
    if int_digits.len() > 1 && int_digits.starts_with('0') && int_digits.bytes().any(|b| b != b'0')
    {
        return Err(CompileError::syntax(
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix for \
             octal integers",
            span(at, at + end),
        ));
    }
    let value = BigInt::parse_bytes(int_digits.as_bytes(), 10).ok_or_else(invalid)?;
    Ok((Tok::Int(value), end))
}

/// `digits j`: the literal up to `end` is the imaginary part; the `j` must end the token.
fn imaginary(
    text: &str,
    at: usize,
    literal: &str,
    end: usize,
) -> Result<(Tok, usize), CompileError> {
    let after = text.get(end + 1..).unwrap_or("");
    if after.starts_with(is_name_continue) && !keyword_follows(after) {
        return Err(CompileError::syntax(
            "invalid imaginary literal",
            span(at, at),
        ));
    }
    let value: f64 = literal
        .parse()
        .map_err(|_| CompileError::syntax("invalid imaginary literal", span(at, at)))?;
    Ok((Tok::Imag(value), end + 1))
}

/// Whether a keyword that may touch a number follows (`1if x else 2`, `0x1or y`): CPython 3.11
/// accepts these with a warning, so code written for it parses here too.
fn keyword_follows(rest: &str) -> bool {
    ["and", "else", "for", "if", "in", "is", "not", "or"]
        .iter()
        .any(|k| rest.starts_with(k))
}

/// `digit (["_"] digit)*`: its length in bytes and its digits without underscores. A trailing or
/// doubled underscore is not part of it (the caller then sees a name character and rejects it).
fn digit_part(text: &str, is_digit: impl Fn(char) -> bool) -> (usize, String) {
    let r: IResult<&str, &str> = take_while(|c: char| is_digit(c) || c == '_')(text);
    let run = r.map_or("", |(_, run)| run);
    let mut len = 0;
    let mut digits = String::new();
    let mut prev_digit = false;
    for (i, c) in run.char_indices() {
        if c == '_' {
            let next_is_digit = run
                .get(i + 1..)
                .and_then(|s| s.chars().next())
                .is_some_and(&is_digit);
            if !prev_digit || !next_is_digit {
                break;
            }
            prev_digit = false;
        } else {
            digits.push(c);
            prev_digit = true;
            len = i + 1;
        }
    }
    (len, digits)
}
