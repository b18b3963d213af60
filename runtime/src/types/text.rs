//! Text semantics that need no heap, shared by the VM and the compiler. In: floats, ints, str
//! and bytes. Out: Python's text for them (`repr`, `str`, `hex`), the numbers `int()` and
//! `float()` read from text, and the hashes of str and bytes.

mod float_format;
mod parse;
mod repr;

use alloc::string::String;
use core::fmt::Write;

use num_bigint::BigInt;
use num_traits::Signed;

pub use float_format::{FloatKind, MAX_FLOAT_PRECISION, format_float};
pub use parse::{parse_float, parse_int};
pub use repr::{bytes_repr, is_printable, str_repr};

/// A radix Python prints ints in, with its literal prefix.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Radix {
    /// `bin()`: `0b`.
    Bin,
    /// `oct()`: `0o`.
    Oct,
    /// `str()`: no prefix.
    Dec,
    /// `hex()`: `0x`.
    Hex,
}

impl Radix {
    /// The base as a number.
    pub const fn base(self) -> u32 {
        match self {
            Radix::Bin => 2,
            Radix::Oct => 8,
            Radix::Dec => 10,
            Radix::Hex => 16,
        }
    }

    /// The literal prefix (`""` for decimal).
    pub const fn prefix(self) -> &'static str {
        match self {
            Radix::Bin => "0b",
            Radix::Oct => "0o",
            Radix::Dec => "",
            Radix::Hex => "0x",
        }
    }
}

/// The digits of `n` in `radix`, lowercase, with a `-` when negative (`format(n, 'x')`).
pub fn int_to_str(n: &BigInt, radix: Radix) -> String {
    n.to_str_radix(radix.base())
}

/// `bin(n)`, `oct(n)`, `hex(n)` (and `str(n)` for `Dec`): the sign before the prefix, `-0x1f`.
pub fn int_literal(n: &BigInt, radix: Radix) -> String {
    let mut out = String::new();
    if n.is_negative() {
        out.push('-');
    }
    out.push_str(radix.prefix());
    out.push_str(&n.magnitude().to_str_radix(radix.base()));
    out
}

/// Appends `repr(x)` (also `str(x)`): the shortest digits that read back as `x`, positional
/// when 1e-4 <= |x| < 1e16, else `1e+16` / `1.5e-05` form; integral values end in `.0`.
pub fn float_repr(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let mut buffer = ryu::Buffer::new();
    let (digits, point) = shortest_digits(buffer.format_finite(libm::fabs(x)));
    // Python's 'r' format: the value is 0.DIGITS * 10^point.
    if point > -4 && point <= 16 {
        positional(&digits, point, out);
    } else {
        exponential(&digits, point, out);
    }
}

/// The significant digits of ryu's output (no leading or trailing zeros; "0" for zero) and
/// the decimal point's position: the value is 0.DIGITS * 10^point.
fn shortest_digits(text: &str) -> (Digits, i32) {
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let mut digits = Digits::new();
    let mut point = exp;
    let mut seen_point = false;
    for c in mantissa.chars() {
        match c {
            '.' => seen_point = true,
            '0'..='9' => {
                if digits.is_empty() && c == '0' {
                    // A leading zero after the point moves the point left.
                    if seen_point {
                        point -= 1;
                    }
                    continue;
                }
                digits.push(c);
                if !seen_point {
                    point += 1;
                }
            }
            _ => {}
        }
    }
    digits.trim_trailing_zeros();
    if digits.is_empty() {
        digits.push('0');
        point = 1;
    }
    (digits, point)
}

fn positional(digits: &Digits, point: i32, out: &mut String) {
    let digits = digits.as_str();
    let n = digits.len() as i32;
    if point <= 0 {
        out.push_str("0.");
        (0..-point).for_each(|_| out.push('0'));
        out.push_str(digits);
    } else if point >= n {
        out.push_str(digits);
        (0..point - n).for_each(|_| out.push('0'));
        out.push_str(".0");
    } else if let Some((int_part, frac_part)) = digits.split_at_checked(point as usize) {
        out.push_str(int_part);
        out.push('.');
        out.push_str(frac_part);
    }
}

fn exponential(digits: &Digits, point: i32, out: &mut String) {
    let digits = digits.as_str();
    let (first, rest) = digits.split_at_checked(1).unwrap_or((digits, ""));
    out.push_str(first);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    let exp = point - 1;
    let _ = write!(
        out,
        "e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.unsigned_abs()
    );
}

/// The significant digits of a shortest float repr (at most 17), kept on the stack.
struct Digits {
    buf: [u8; 24],
    len: usize,
}

impl Digits {
    fn new() -> Digits {
        Digits {
            buf: [0; 24],
            len: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, c: char) {
        if let (Some(slot), Ok(byte)) = (self.buf.get_mut(self.len), u8::try_from(c)) {
            *slot = byte;
            self.len += 1;
        }
    }

    fn trim_trailing_zeros(&mut self) {
        while self.len > 0 && self.buf.get(self.len - 1) == Some(&b'0') {
            self.len -= 1;
        }
    }

    fn as_str(&self) -> &str {
        let bytes = self.buf.get(..self.len).unwrap_or_default();
        core::str::from_utf8(bytes).unwrap_or_default()
    }
}

/// `hash(s)` of a str: FNV-1a over its UTF-8, folded to 47 bits. Fixed (not randomly seeded)
/// so images and output are deterministic; non-negative and within the small-int range, so
/// `hash(s)` never allocates (and is never -1, which CPython reserves).
pub fn hash_str(s: &str) -> i64 {
    fnv1a(s.as_bytes(), FNV_OFFSET_STR)
}

/// `hash(b)` of bytes: like `hash_str` with another seed (str and bytes never compare equal).
pub fn hash_bytes(b: &[u8]) -> i64 {
    fnv1a(b, FNV_OFFSET_BYTES)
}

/// Bits kept of a text hash: 47, so the hash is a non-negative small int (value.rs keeps 48-bit
/// signed ints immediate).
pub const TEXT_HASH_BITS: u32 = 47;

/// FNV-1a's 64-bit offset basis.
const FNV_OFFSET_STR: u64 = 0xcbf2_9ce4_8422_2325;
/// A different basis for bytes, so `hash("a") != hash(b"a")` in general.
const FNV_OFFSET_BYTES: u64 = FNV_OFFSET_STR ^ 0x5bd1_e995;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(data: &[u8], basis: u64) -> i64 {
    let h = data
        .iter()
        .fold(basis, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME));
    // Fold the high bits in rather than dropping them: they mix in the last bytes best.
    let folded = (h ^ (h >> TEXT_HASH_BITS)) & ((1 << TEXT_HASH_BITS) - 1);
    folded as i64
}
