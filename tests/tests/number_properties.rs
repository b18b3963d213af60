//! Properties of the pure numeric and text functions over many pseudo-random inputs (a fixed
//! seed, so every run checks the same cases). In: generated floats, ints and strings. Out:
//! pass, or the first input that breaks a round trip or an agreement between two paths.

use std::cmp::Ordering;

use frost_runtime::image::BinaryOp;
use frost_runtime::types::number::{self, Number, Small};
use frost_runtime::types::text::{self, FloatKind, Radix};
use num_bigint::BigInt;

/// splitmix64: small, fixed, good enough to spread inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A finite float: random bits, or a random small integer or a value with few digits.
    fn float(&mut self) -> f64 {
        loop {
            let x = match self.below(3) {
                0 => f64::from_bits(self.next()),
                1 => (self.below(2_000_001) as f64 - 1_000_000.0) / 8.0,
                _ => (self.next() >> 11) as f64 * 10f64.powi(self.below(60) as i32 - 30),
            };
            if x.is_finite() {
                return x;
            }
        }
    }

    /// An i64 of random width, so small values and word-boundary values both occur.
    fn int(&mut self) -> i64 {
        let bits = self.below(64);
        let v = (self.next() >> (63 - bits)) as i64;
        if self.below(2) == 0 {
            v.wrapping_neg()
        } else {
            v
        }
    }
}

#[test]
fn float_repr_reads_back_exactly() {
    let mut rng = Rng(1);
    for _ in 0..100_000 {
        let x = rng.float();
        let mut s = String::new();
        text::float_repr(x, &mut s);
        let back = text::parse_float(&s).unwrap_or_else(|| panic!("{s} does not parse"));
        assert_eq!(back.to_bits(), x.to_bits(), "{x:e} printed as {s}");
        let mut e = String::new();
        if x.is_sign_negative() {
            e.push('-');
        }
        text::format_float(x, FloatKind::Exponent, 16, false, false, &mut e).expect("precision");
        let back = text::parse_float(&e).unwrap_or_else(|| panic!("{e} does not parse"));
        assert_eq!(back.to_bits(), x.to_bits(), "{x:e} formatted .16e as {e}");
    }
}

#[test]
fn ints_and_floats_agree_on_integral_values() {
    let mut rng = Rng(2);
    for _ in 0..50_000 {
        let x = rng.float();
        let i = number::float_to_int(x).expect("finite");
        let as_int = Number::Int(i.clone());
        let integral = x == x.trunc();
        let want = if integral {
            Ordering::Equal
        } else if x > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        };
        assert_eq!(
            number::compare(&as_int, &Number::Float(x)),
            Some(want),
            "{x:e}"
        );
        if integral {
            assert_eq!(number::hash_int(&i), number::hash_float(x), "hash of {x:e}");
            assert_eq!(number::int_to_f64(&i), Ok(x), "float(int({x:e}))");
        }
    }
}

#[test]
fn small_int_fast_path_agrees_with_bigint_path() {
    let ops = (0..=12).filter_map(BinaryOp::from_u8).collect::<Vec<_>>();
    let mut rng = Rng(3);
    for _ in 0..200_000 {
        let (a, b) = (rng.int(), rng.int());
        let op = ops[rng.below(ops.len() as u64) as usize];
        let (a, b) = match op {
            // Keep powers and shifts in a range that finishes quickly on the BigInt path.
            BinaryOp::Pow => (a % 1000, b % 70),
            BinaryOp::LShift | BinaryOp::RShift => (a, b % 200),
            _ => (a, b),
        };
        let Some(fast) = number::binary_i64(op, a, b) else {
            continue;
        };
        let slow = number::binary(op, &Number::Int(a.into()), &Number::Int(b.into()));
        let fast = fast.map(|s| match s {
            Small::Int(i) => Number::Int(i.into()),
            Small::Float(f) => Number::Float(f),
        });
        assert_eq!(fast, slow, "{a} {} {b}", op.symbol());
    }
}

#[test]
fn int_text_reads_back() {
    let mut rng = Rng(4);
    for _ in 0..20_000 {
        let words = 1 + rng.below(4);
        let mut n = BigInt::from(rng.int());
        for _ in 1..words {
            n = (n << 64) + BigInt::from(rng.next());
        }
        for radix in [Radix::Bin, Radix::Oct, Radix::Dec, Radix::Hex] {
            let literal = text::int_literal(&n, radix);
            assert_eq!(text::parse_int(&literal, 0), Ok(n.clone()), "{literal}");
            let digits = text::int_to_str(&n, radix);
            assert_eq!(
                text::parse_int(&digits, radix.base()),
                Ok(n.clone()),
                "{digits}"
            );
        }
    }
}

#[test]
fn parsers_never_panic_on_noise() {
    let alphabet: Vec<char> = "0123456789_+-.eExXoObBaAfFzZiInN \t\u{3000}\u{663}é"
        .chars()
        .collect();
    let mut rng = Rng(5);
    for _ in 0..100_000 {
        let len = rng.below(12) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
            .collect();
        let base = [0, 2, 8, 10, 16, 36][rng.below(6) as usize];
        if let Ok(n) = text::parse_int(&s, base) {
            // Whatever was accepted has a canonical form that reads back the same.
            assert_eq!(text::parse_int(&n.to_string(), 10), Ok(n.clone()), "{s:?}");
        }
        if let Some(x) = text::parse_float(&s) {
            let mut r = String::new();
            text::float_repr(x, &mut r);
            let back = text::parse_float(&r).expect("repr parses");
            assert!(
                back.to_bits() == x.to_bits() || (x.is_nan() && back.is_nan()),
                "{s:?}"
            );
        }
    }
}
