//! Bytes: immutable byte strings. In: bytes values. Out: `repr` (`b'..'`) and the methods
//! table (none yet beyond the operators the VM implements).

use alloc::format;
use alloc::string::String;

use super::obj::Method;

/// The bytes methods.
pub const METHODS: &[(&str, Method)] = &[];

/// Appends Python's `repr` of bytes.
pub fn repr_into(b: &[u8], out: &mut String) {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(q);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if char::from(c) == q => {
                out.push('\\');
                out.push(q);
            }
            0x20..=0x7e => out.push(char::from(c)),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(q);
}
