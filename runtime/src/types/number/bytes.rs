//! `int.to_bytes` and `int.from_bytes`. In: an int and a length, or bytes; the byte order and
//! signedness. Out: the two's-complement bytes or the int, with CPython's OverflowErrors.

use alloc::vec::Vec;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, Zero};

use super::{ArithError, MAX_INT_BITS};

/// `n.to_bytes(length, 'big' if big_endian else 'little', signed=signed)`. A length over
/// MAX_INT_BITS / 8 gives `TooLarge`.
pub fn int_to_bytes(
    n: &BigInt,
    length: usize,
    big_endian: bool,
    signed: bool,
) -> Result<Vec<u8>, ArithError> {
    if (length as u64).saturating_mul(8) > MAX_INT_BITS {
        return Err(ArithError::TooLarge);
    }
    if n.is_negative() && !signed {
        return Err(ArithError::Overflow(
            "can't convert negative int to unsigned",
        ));
    }
    // The fewest bytes that hold n, least significant first: two's complement when signed
    // (128 needs two bytes), plain magnitude when not; zero needs none.
    let mut bytes = if signed {
        n.to_signed_bytes_le()
    } else {
        n.magnitude().to_bytes_le()
    };
    if !signed || n.is_zero() {
        while bytes.last() == Some(&0) {
            bytes.pop();
        }
    }
    // CPython reads zero bytes as all ones once sign-extended: -1 fits in no bytes at all.
    if signed && bytes == [0xff] {
        bytes.clear();
    }
    if bytes.len() > length {
        return Err(ArithError::Overflow("int too big to convert"));
    }
    let fill = if n.is_negative() { 0xff } else { 0x00 };
    // try_reserve: running out of memory is a MemoryError, never an abort.
    bytes
        .try_reserve(length - bytes.len())
        .map_err(|_| ArithError::TooLarge)?;
    bytes.resize(length, fill);
    if big_endian {
        bytes.reverse();
    }
    Ok(bytes)
}

/// `int.from_bytes(data, 'big' if big_endian else 'little', signed=signed)`.
pub fn int_from_bytes(data: &[u8], big_endian: bool, signed: bool) -> BigInt {
    match (big_endian, signed) {
        (true, true) => BigInt::from_signed_bytes_be(data),
        (false, true) => BigInt::from_signed_bytes_le(data),
        (true, false) => BigInt::from_bytes_be(Sign::Plus, data),
        (false, false) => BigInt::from_bytes_le(Sign::Plus, data),
    }
}
