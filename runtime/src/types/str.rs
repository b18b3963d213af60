//! Strs: interned (`Value::str(id)`, identifiers and constants of loaded images) and heap
//! (`Obj::Str`), with one behaviour. In: text. Out: the interner (ids, texts, cached hashes),
//! one-character strs, and `in` on strs. Methods are in `str_methods`, formatting in
//! `str_format`, `repr` in `text`. Length and indexing count characters.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::vec::Vec;

use super::obj::{Ctx, new_str, string_with};
use super::{PyErr, PyResult};
use crate::value::Value;

/// The interned strings: id → text and hash, text → id. Ids are stable for the VM's life.
#[derive(Default)]
pub struct Interner {
    strings: Vec<(Box<str>, i64)>,
    ids: BTreeMap<Box<str>, u32>,
}

impl Interner {
    /// The id of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.strings.len() as u32;
        self.strings.push((s.into(), super::text::hash_str(s)));
        self.ids.insert(s.into(), id);
        id
    }

    /// The id of `s` if it is interned.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// The text of an id ("" for an unknown id).
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize).map_or("", |(s, _)| s)
    }

    /// The hash of an id, computed once when it was interned.
    pub fn hash(&self, id: u32) -> i64 {
        self.strings.get(id as usize).map_or(0, |(_, h)| *h)
    }
}

/// A one-character str: ASCII characters are interned (so iterating or indexing ASCII text
/// allocates nothing), others go on the heap so run-time text cannot grow the interner
/// without bound.
pub fn char_value(cx: &mut dyn Ctx, c: char) -> PyResult<Value> {
    if c.is_ascii() {
        let mut buf = [0u8; 4];
        return Ok(Value::str(
            cx.store_mut().strs.intern(c.encode_utf8(&mut buf)),
        ));
    }
    let mut s = string_with(c.len_utf8())?;
    s.push(c);
    new_str(cx, s)
}

/// Whether `needle` occurs in the str `hay` (`in`).
pub fn contains(cx: &dyn Ctx, hay: &str, needle: Value) -> PyResult<bool> {
    let n = cx.store().str_of(needle).ok_or_else(|| {
        PyErr::type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            cx.store().type_name(needle)
        ))
    })?;
    Ok(hay.contains(n))
}
