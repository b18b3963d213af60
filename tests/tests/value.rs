//! The NaN-boxed `Value` (DESIGN.md decision 5). In: values of every kind. Out: assertions
//! that they are 8 bytes, round-trip exactly, and that no NaN can pose as a tagged value.

use frost_runtime::value::{SMALL_INT_MAX, SMALL_INT_MIN};
use frost_runtime::{Handle, Kind, Value};

#[test]
fn value_is_one_word() {
    assert_eq!(size_of::<Value>(), 8);
}

#[test]
fn every_kind_round_trips() {
    for f in [
        0.0,
        -0.0,
        1.5,
        -2.25e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        5e-324,
    ] {
        let v = Value::float(f);
        assert_eq!(v.as_float().map(f64::to_bits), Some(f.to_bits()), "{f}");
        assert!(v.as_int().is_none());
    }
    for i in [0, 1, -1, 42, SMALL_INT_MIN, SMALL_INT_MAX, -123_456_789_012] {
        let v = Value::int(i).unwrap();
        assert_eq!(v.as_int(), Some(i));
        assert_eq!(v.kind(), Kind::Int(i));
        assert!(v.as_float().is_none());
    }
    assert_eq!(Value::NONE.kind(), Kind::None);
    assert_eq!(Value::TRUE.kind(), Kind::Bool(true));
    assert_eq!(Value::FALSE.kind(), Kind::Bool(false));
    assert_eq!(Value::bool(true).as_bool(), Some(true));
    assert_eq!(Value::ELLIPSIS.kind(), Kind::Ellipsis);
    assert_eq!(Value::NULL.kind(), Kind::Null);
    assert!(Value::NULL.is_null() && Value::NONE.is_none());
    for id in [0, 1, 77, u32::MAX] {
        assert_eq!(Value::str(id).as_str_id(), Some(id));
        assert_eq!(Value::heap(Handle(id)).as_heap(), Some(Handle(id)));
        assert_eq!(Value::native(id).as_native(), Some(id));
    }
    for t in [0u16, 5, u16::MAX] {
        assert_eq!(Value::type_id(t).as_type_id(), Some(t));
        assert_eq!(Value::type_id(t).kind(), Kind::Type(t));
    }
}

#[test]
fn small_int_bounds() {
    assert_eq!(SMALL_INT_MAX, (1 << 47) - 1);
    assert_eq!(SMALL_INT_MIN, -(1 << 47));
    assert!(Value::int(SMALL_INT_MAX + 1).is_none());
    assert!(Value::int(SMALL_INT_MIN - 1).is_none());
    assert!(Value::int(i64::MAX).is_none());
    assert!(Value::int(i64::MIN).is_none());
}

#[test]
fn nans_are_canonicalised() {
    // x86's default NaN (from 0.0 / 0.0) is negative; payload NaNs carry arbitrary bits.
    let zero = std::hint::black_box(0.0f64);
    let x86_default = zero / zero;
    let candidates = [
        f64::NAN,
        -f64::NAN,
        x86_default,
        f64::from_bits(0xFFF8_0000_0000_0000),
        f64::from_bits(0xFFF9_0000_0000_0001),
        f64::from_bits(0xFFFF_FFFF_FFFF_FFFF),
        f64::from_bits(0x7FF0_0000_0000_0001),
        f64::from_bits(0xFFFB_0000_0000_002A),
    ];
    for nan in candidates {
        assert!(nan.is_nan());
        let v = Value::float(nan);
        match v.kind() {
            Kind::Float(f) => assert!(f.is_nan()),
            other => panic!("NaN {:#x} became {other:?}", nan.to_bits()),
        }
        assert!(v.is(Value::float(f64::NAN)), "one canonical NaN");
    }
}
