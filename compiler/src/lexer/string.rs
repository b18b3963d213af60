//! String and bytes literals. In: the source and the offset of a literal (prefix, then quote).
//! Out: a `Str` or `Bytes` token with escapes decoded and line ends normalised to `\n`, and the
//! literal's length; or CPython's error for an unterminated or malformed literal.

use super::{Tok, span};
use crate::diag::{CompileError, line_col};

/// Whether `word` is a string prefix (r, u, b, f and their combinations, any case).
pub fn is_prefix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
    )
}

/// Why a literal was rejected: CPython's tokenizer finds `Token` errors (unterminated, f-string)
/// while scanning; `Value` errors (escapes, non-ASCII bytes) only when the parser decodes it.
pub enum StringError {
    Token(CompileError),
    Value(CompileError),
}

/// Lexes the literal starting at `start`, whose prefix is `prefix_len` bytes long.
/// The third value is true when a lone surrogate escape was replaced by U+FFFD (see `decode`).
pub fn lex(src: &str, start: usize, prefix_len: usize) -> Result<(Tok, usize, bool), StringError> {
    let prefix = src
        .get(start..start + prefix_len)
        .unwrap_or("")
        .to_ascii_lowercase();
    let raw = prefix.contains('r');
    let bytes = prefix.contains('b');
    let open = start + prefix_len;
    let text = src.get(open..).unwrap_or("");
    let quote = if text.starts_with('"') { '"' } else { '\'' };
    let triple: String = [quote; 3].iter().collect();
    let delim_len = if text.starts_with(&triple) { 3 } else { 1 };
    let body_start = open + delim_len;
    let body_text = src.get(body_start..).unwrap_or("");
    let body_len = match find_end(body_text, quote, delim_len == 3) {
        Ok(len) => len,
        Err(stop) => {
            let (line, _) = line_col(src, detected_at(src, body_start + stop));
            let kind = if delim_len == 3 {
                "triple-quoted string"
            } else {
                "string"
            };
            return Err(StringError::Token(CompileError::syntax(
                format!("unterminated {kind} literal (detected at line {line})"),
                span(start, start),
            )));
        }
    };
    let body = body_text.get(..body_len).unwrap_or("");
    let end = body_start + body_len + delim_len;
    let here = span(start, end);
    let tok = if prefix.contains('f') {
        // As in CPython 3.11, an f-string is found like any string; the parser splits it.
        Tok::FStr(super::FStr {
            body: body.to_string(),
            offset: u32::try_from(body_start).unwrap_or(u32::MAX),
            raw,
        })
    } else if bytes {
        if !body.is_ascii() {
            return Err(StringError::Value(CompileError::syntax(
                "bytes can only contain ASCII literal characters",
                here,
            )));
        }
        let (chars, _) = decode(body, raw, true, here).map_err(StringError::Value)?;
        Tok::Bytes(chars.into_iter().map(|c| c as u8).collect())
    } else {
        let (chars, replaced) = decode(body, raw, false, here).map_err(StringError::Value)?;
        return Ok((Tok::Str(chars.into_iter().collect()), end - start, replaced));
    };
    Ok((tok, end - start, false))
}

/// Length of the body up to (not including) the closing quote; if unterminated, the offset
/// where that shows: the unescaped line end of a one-line string, or the end of the source.
fn find_end(body: &str, quote: char, triple: bool) -> Result<usize, usize> {
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                // An escaped `\r\n` is one line end: skip both so `\n` is not seen alone.
                if let Some((_, '\r')) = chars.next()
                    && body.get(i + 2..).is_some_and(|s| s.starts_with('\n'))
                {
                    chars.next();
                }
            }
            '\n' | '\r' if !triple => return Err(i),
            c if c == quote => {
                let rest = body.get(i..).unwrap_or("");
                if !triple || rest.chars().take(3).filter(|&q| q == quote).count() == 3 {
                    return Ok(i);
                }
            }
            _ => {}
        }
    }
    Err(body.len())
}

/// The offset whose line CPython names in "detected at line N": a line end that ends the
/// source does not start another line.
fn detected_at(src: &str, stop: usize) -> u32 {
    let at = if stop >= src.len() {
        let trimmed = src
            .strip_suffix("\r\n")
            .or_else(|| src.strip_suffix('\n'))
            .or_else(|| src.strip_suffix('\r'))
            .unwrap_or(src);
        trimmed.len()
    } else {
        stop
    };
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Decodes the escapes of str literal text (a piece of an f-string), `here` being its span; the
/// flag tells whether a lone surrogate escape was replaced by U+FFFD.
pub fn decode_str(
    body: &str,
    raw: bool,
    here: crate::ast::Span,
) -> Result<(String, bool), CompileError> {
    let (chars, replaced) = decode(body, raw, false, here)?;
    Ok((chars.into_iter().collect(), replaced))
}

/// The warning for a literal whose lone surrogate escapes became U+FFFD.
pub fn surrogate_warning(span: crate::ast::Span) -> crate::diag::Warning {
    crate::diag::Warning {
        message: "lone surrogate escape replaced by U+FFFD: frost strings are UTF-8 (as \
                  MicroPython's, which cannot hold a lone surrogate either)"
            .into(),
        span,
    }
}

/// Decodes escapes. Bytes literals keep `\u`, `\U` and `\N` as unknown escapes, as CPython does;
/// every decoded char of a bytes literal is below 256. A lone surrogate escape (`\ud800`)
/// cannot live in a UTF-8 string: it becomes U+FFFD and the flag returned is true, so the
/// caller warns instead of failing the build.
fn decode(
    body: &str,
    raw: bool,
    bytes: bool,
    here: crate::ast::Span,
) -> Result<(Vec<char>, bool), CompileError> {
    let mut replaced = false;
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        if raw {
            // Raw literals keep the backslash; it only stops the next char from closing the string.
            out.push('\\');
            if e == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            } else {
                out.push(e);
            }
            continue;
        }
        match e {
            '\n' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\\' | '\'' | '"' => out.push(e),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                // CPython keeps only the low byte of `\400`..`\777` in bytes (with a warning).
                let value = if bytes { value & 0xff } else { value };
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            'x' => out.push(hex_escape(&mut chars, 2, 'x', bytes, here, &mut replaced)?),
            'u' if !bytes => out.push(hex_escape(&mut chars, 4, 'u', bytes, here, &mut replaced)?),
            'U' if !bytes => out.push(hex_escape(&mut chars, 8, 'U', bytes, here, &mut replaced)?),
            'N' if !bytes => {
                return Err(CompileError::syntax(
                    "\\N{...} escapes are not supported by MicroPython",
                    here,
                ));
            }
            _ => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    Ok((out, replaced))
}

fn hex_escape(
    chars: &mut core::iter::Peekable<core::str::Chars<'_>>,
    n: usize,
    letter: char,
    bytes: bool,
    here: crate::ast::Span,
    replaced: &mut bool,
) -> Result<char, CompileError> {
    let mut value = 0u32;
    for _ in 0..n {
        match chars.peek().and_then(|d| d.to_digit(16)) {
            Some(d) => {
                value = value * 16 + d;
                chars.next();
            }
            None => {
                let message = if bytes {
                    "(value error) invalid \\x escape".to_string()
                } else {
                    format!(
                        "(unicode error) truncated \\{letter}{} escape",
                        "X".repeat(n)
                    )
                };
                return Err(CompileError::syntax(message, here));
            }
        }
    }
    if (0xd800..0xe000).contains(&value) {
        *replaced = true;
        return Ok(char::REPLACEMENT_CHARACTER);
    }
    char::from_u32(value)
        .ok_or_else(|| CompileError::syntax("(unicode error) illegal Unicode character", here))
}
