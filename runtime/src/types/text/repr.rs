//! `repr()` of str and bytes, exactly as CPython writes them. In: the text or bytes. Out: the
//! quoted, escaped form appended to a String.

use alloc::string::String;
use core::fmt::Write;

/// Appends `repr(s)`: single quotes unless `s` has `'` and no `"`; backslash, the quote, `\t`,
/// `\n`, `\r` escaped; other non-printable characters as `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
pub fn str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xff => write!(out, "\\x{code:02x}"),
                    0x100..=0xffff => write!(out, "\\u{code:04x}"),
                    _ => write!(out, "\\U{code:08x}"),
                };
            }
        }
    }
    out.push(quote);
}

/// Appends `repr(b)`: `b'..'` with the same quote rule as str, printable ASCII kept, `\t`,
/// `\n`, `\r` and `\\` escaped, every other byte as `\xNN`.
pub fn bytes_repr(b: &[u8], out: &mut String) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    out.push('b');
    out.push(char::from(quote));
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if byte == quote => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(char::from(quote));
}

/// An approximation of Python's `str.isprintable` for one character: false for controls
/// (Cc), format characters (Cf), separators other than the ASCII space (Zs, Zl, Zp), private
/// use (Co), noncharacters and the unassigned planes 4..=13; true for everything else.
pub fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    if code < 0x7f {
        return code >= 0x20;
    }
    !NON_PRINTABLE
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&code))
        && (code & 0xfffe) != 0xfffe
}

/// Inclusive ranges of non-printable code points above ASCII (Unicode 14, as CPython 3.11).
const NON_PRINTABLE: &[(u32, u32)] = &[
    (0x7f, 0xa0),        // DEL, C1 controls, no-break space
    (0xad, 0xad),        // soft hyphen
    (0x600, 0x605),      // Arabic number signs
    (0x61c, 0x61c),      // Arabic letter mark
    (0x6dd, 0x6dd),      // Arabic end of ayah
    (0x70f, 0x70f),      // Syriac abbreviation mark
    (0x890, 0x891),      // Arabic pound/piastre mark above
    (0x8e2, 0x8e2),      // Arabic disputed end of ayah
    (0x1680, 0x1680),    // ogham space mark
    (0x180e, 0x180e),    // Mongolian vowel separator
    (0x2000, 0x200f),    // spaces, zero-width characters, directional marks
    (0x2028, 0x202f),    // line/paragraph separators, embeddings, narrow no-break space
    (0x205f, 0x206f),    // medium math space, invisible operators, isolates, deprecated
    (0x3000, 0x3000),    // ideographic space
    (0xd800, 0xdfff),    // surrogates
    (0xe000, 0xf8ff),    // private use
    (0xfdd0, 0xfdef),    // noncharacters
    (0xfeff, 0xfeff),    // byte order mark
    (0xfff9, 0xfffb),    // interlinear annotation
    (0x110bd, 0x110bd),  // Kaithi number sign
    (0x110cd, 0x110cd),  // Kaithi number sign above
    (0x13430, 0x13438),  // Egyptian hieroglyph format controls
    (0x1bca0, 0x1bca3),  // shorthand format controls
    (0x1d173, 0x1d17a),  // musical symbol format controls
    (0x40000, 0xdffff),  // unassigned planes
    (0xe0000, 0xe00ff),  // tags (and unassigned around them)
    (0xe01f0, 0x10ffff), // unassigned, private use planes 15 and 16
];
