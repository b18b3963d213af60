//! The 8-byte NaN-boxed `Value` (DESIGN.md decision 5). In: nothing. Out: a `Copy` word that is
//! either a float or a tagged immediate (small int, None/bools/Ellipsis, interned string id, heap
//! handle, native function id, built-in type id). All bit work stays in this file.
//!
//! Layout. Every bit pattern that is not a NaN with the top 13 bits set is an `f64` as it is.
//! Tagged values live in the negative quiet-NaN space:
//!
//! ```text
//! 63      51 50  48 47                                             0
//! 1111111111111 tag  payload (48 bits)
//! ```
//!
//! Because every NaN is canonicalised to `CANONICAL_NAN` (a positive quiet NaN) before it becomes a
//! Value, no float can ever land in the tagged space.

use core::fmt;

/// Bits 51..=63 all set marks a tagged (non-float) value.
const TAG_SPACE: u64 = 0xFFF8_0000_0000_0000;
const TAG_SHIFT: u32 = 48;
const TAG_MASK: u64 = 0x7 << TAG_SHIFT;
const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;

/// The one NaN a Value may hold: positive, quiet, zero payload.
const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

const TAG_SPECIAL: u64 = 0;
const TAG_INT: u64 = 1;
const TAG_STR: u64 = 2;
const TAG_HEAP: u64 = 3;
const TAG_NATIVE: u64 = 4;
const TAG_TYPE: u64 = 5;

const SPECIAL_NULL: u64 = 0;
const SPECIAL_NONE: u64 = 1;
const SPECIAL_FALSE: u64 = 2;
const SPECIAL_TRUE: u64 = 3;
const SPECIAL_ELLIPSIS: u64 = 4;

/// Width of a small int in bits: ints in `SMALL_INT_MIN..=SMALL_INT_MAX` are immediate, wider ones
/// are heap big ints with the same Python semantics.
pub const SMALL_INT_BITS: u32 = 48;
/// Smallest immediate int, -2^47.
pub const SMALL_INT_MIN: i64 = -(1 << (SMALL_INT_BITS - 1));
/// Largest immediate int, 2^47 - 1.
pub const SMALL_INT_MAX: i64 = (1 << (SMALL_INT_BITS - 1)) - 1;

/// A handle to an object in the heap's slab.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Handle(pub u32);

/// A Python value in one machine word.
#[derive(Copy, Clone)]
pub struct Value(u64);

/// What a Value holds, as a plain enum for `match`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Kind {
    /// A float; never a NaN other than the canonical one.
    Float(f64),
    /// A small int.
    Int(i64),
    None,
    Bool(bool),
    Ellipsis,
    /// Internal "no value": an unbound local, the empty `self` slot of LOAD_METHOD, an exhausted
    /// iterator. Never visible to Python code.
    Null,
    /// An interned string, by id in the runtime's string table.
    Str(u32),
    /// An object in the heap.
    Heap(Handle),
    /// A native (Rust) function, by id in the runtime's native table.
    Native(u32),
    /// A built-in type, by id (`types::TypeId as u16`).
    Type(u16),
}

impl Value {
    pub const NULL: Value = Value::tagged(TAG_SPECIAL, SPECIAL_NULL);
    pub const NONE: Value = Value::tagged(TAG_SPECIAL, SPECIAL_NONE);
    pub const FALSE: Value = Value::tagged(TAG_SPECIAL, SPECIAL_FALSE);
    pub const TRUE: Value = Value::tagged(TAG_SPECIAL, SPECIAL_TRUE);
    pub const ELLIPSIS: Value = Value::tagged(TAG_SPECIAL, SPECIAL_ELLIPSIS);

    const fn tagged(tag: u64, payload: u64) -> Value {
        Value(TAG_SPACE | (tag << TAG_SHIFT) | (payload & PAYLOAD_MASK))
    }

    #[inline]
    fn tag(self) -> Option<u64> {
        if self.0 & TAG_SPACE == TAG_SPACE {
            Some((self.0 & TAG_MASK) >> TAG_SHIFT)
        } else {
            None
        }
    }

    #[inline]
    fn payload(self) -> u64 {
        self.0 & PAYLOAD_MASK
    }

    /// A float; a NaN is canonicalised so it can never be mistaken for a tagged value.
    #[inline]
    pub fn float(f: f64) -> Value {
        if f.is_nan() {
            Value(CANONICAL_NAN)
        } else {
            Value(f.to_bits())
        }
    }

    /// A small int, or `None` when `i` needs a heap big int.
    #[inline]
    pub fn int(i: i64) -> Option<Value> {
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&i) {
            Some(Value::tagged(TAG_INT, i as u64))
        } else {
            None
        }
    }

    /// A small int from an `i32`, which always fits (usable in constants).
    #[inline]
    pub const fn small(i: i32) -> Value {
        Value::tagged(TAG_INT, i as i64 as u64)
    }

    /// True or False.
    #[inline]
    pub const fn bool(b: bool) -> Value {
        if b { Value::TRUE } else { Value::FALSE }
    }

    /// An interned string by id.
    #[inline]
    pub const fn str(id: u32) -> Value {
        Value::tagged(TAG_STR, id as u64)
    }

    /// A heap object.
    #[inline]
    pub const fn heap(h: Handle) -> Value {
        Value::tagged(TAG_HEAP, h.0 as u64)
    }

    /// A native function by id.
    #[inline]
    pub const fn native(id: u32) -> Value {
        Value::tagged(TAG_NATIVE, id as u64)
    }

    /// A built-in type by id.
    #[inline]
    pub const fn type_id(id: u16) -> Value {
        Value::tagged(TAG_TYPE, id as u64)
    }

    /// What this value holds.
    #[inline]
    pub fn kind(self) -> Kind {
        match self.tag() {
            None => Kind::Float(f64::from_bits(self.0)),
            Some(TAG_INT) => Kind::Int(self.small_int_payload()),
            Some(TAG_STR) => Kind::Str(self.payload() as u32),
            Some(TAG_HEAP) => Kind::Heap(Handle(self.payload() as u32)),
            Some(TAG_NATIVE) => Kind::Native(self.payload() as u32),
            Some(TAG_TYPE) => Kind::Type(self.payload() as u16),
            Some(_) => match self.payload() {
                SPECIAL_NONE => Kind::None,
                SPECIAL_FALSE => Kind::Bool(false),
                SPECIAL_TRUE => Kind::Bool(true),
                SPECIAL_ELLIPSIS => Kind::Ellipsis,
                _ => Kind::Null,
            },
        }
    }

    #[inline]
    fn small_int_payload(self) -> i64 {
        // Sign-extend the 48-bit payload.
        ((self.payload() << (64 - SMALL_INT_BITS)) as i64) >> (64 - SMALL_INT_BITS)
    }

    /// The float, if this is one.
    #[inline]
    pub fn as_float(self) -> Option<f64> {
        match self.tag() {
            None => Some(f64::from_bits(self.0)),
            Some(_) => None,
        }
    }

    /// The small int, if this is one (bools are not ints here; see `types`).
    #[inline]
    pub fn as_int(self) -> Option<i64> {
        match self.tag() {
            Some(TAG_INT) => Some(self.small_int_payload()),
            _ => None,
        }
    }

    /// The interned string id, if this is one.
    #[inline]
    pub fn as_str_id(self) -> Option<u32> {
        match self.tag() {
            Some(TAG_STR) => Some(self.payload() as u32),
            _ => None,
        }
    }

    /// The heap handle, if this is a heap object.
    #[inline]
    pub fn as_heap(self) -> Option<Handle> {
        match self.tag() {
            Some(TAG_HEAP) => Some(Handle(self.payload() as u32)),
            _ => None,
        }
    }

    /// The native function id, if this is one.
    #[inline]
    pub fn as_native(self) -> Option<u32> {
        match self.tag() {
            Some(TAG_NATIVE) => Some(self.payload() as u32),
            _ => None,
        }
    }

    /// The built-in type id, if this is one.
    #[inline]
    pub fn as_type_id(self) -> Option<u16> {
        match self.tag() {
            Some(TAG_TYPE) => Some(self.payload() as u16),
            _ => None,
        }
    }

    /// True or False, if this is a bool.
    #[inline]
    pub fn as_bool(self) -> Option<bool> {
        match self.0 {
            x if x == Value::TRUE.0 => Some(true),
            x if x == Value::FALSE.0 => Some(false),
            _ => None,
        }
    }

    #[inline]
    pub fn is_none(self) -> bool {
        self.0 == Value::NONE.0
    }

    #[inline]
    pub fn is_null(self) -> bool {
        self.0 == Value::NULL.0
    }

    /// Python's `is`: the same word. (Two equal floats are `is`-identical here, as small ints are.)
    #[inline]
    pub fn is(self, other: Value) -> bool {
        self.0 == other.0
    }

    /// The raw word, for hashing identity and for the heap's tracing; not for arithmetic.
    #[inline]
    pub fn to_bits(self) -> u64 {
        self.0
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({:?})", self.kind())
    }
}

impl Default for Value {
    fn default() -> Value {
        Value::NONE
    }
}
