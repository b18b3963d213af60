//! Strs: interned (`Value::str(id)`, identifiers and constants of loaded images) and heap
//! (`Obj::Str`), with one behaviour. In: text. Out: the interner (ids, texts, cached hashes),
//! one-character strs, and `in` on strs. Methods are in `str_methods`, formatting in
//! `str_format`, `repr` in `text`. Length and indexing count characters.

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;
use core::ops::Range;
use hashbrown::HashTable;

use super::obj::{Ctx, new_str, string_with};
use super::{PyErr, PyResult};
use crate::image::ImageBytes;
use crate::value::Value;

/// Where an interned string's text lives: in a loaded image (identifiers and str constants,
/// not copied, so a module in flash keeps its strings there) or owned.
enum Text {
    Owned(Box<str>),
    Image(ImageBytes, u32, u32),
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Owned(s) => s,
            Text::Image(bytes, start, end) => bytes
                .get(*start as usize..*end as usize)
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or(""),
        }
    }
}

/// The interned strings: id → text and hash, text → id. Ids are stable for the VM's life.
#[derive(Default)]
pub struct Interner {
    strings: Vec<(Text, i64)>,
    ids: HashTable<u32>,
    /// Ids below this are the static set (`qstr_info` counts only the others).
    static_len: u32,
}

impl Interner {
    /// The id of `s`, interning (a copy of) it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.find_or_insert(s, || Text::Owned(s.into()))
    }

    /// The id of the text at `span` of an image, interning it in place if new.
    pub fn intern_image(&mut self, bytes: &ImageBytes, span: &Range<u32>) -> u32 {
        let text = bytes
            .get(span.start as usize..span.end as usize)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("");
        self.find_or_insert(text, || Text::Image(bytes.clone(), span.start, span.end))
    }

    fn find_or_insert(&mut self, s: &str, make: impl FnOnce() -> Text) -> u32 {
        if let Some(id) = self.lookup(s) {
            return id;
        }
        let hash = super::text::hash_str(s);
        let id = self.strings.len() as u32;
        self.strings.push((make(), hash));
        let strings = &self.strings;
        self.ids.insert_unique(hash as u64, id, |id| {
            strings.get(*id as usize).map_or(0, |(_, h)| *h as u64)
        });
        id
    }

    /// The id of `s` if it is interned.
    pub fn lookup(&self, s: &str) -> Option<u32> {
        let hash = super::text::hash_str(s) as u64;
        self.ids
            .find(hash, |id| {
                self.strings
                    .get(*id as usize)
                    .is_some_and(|(t, _)| t.as_str() == s)
            })
            .copied()
    }

    /// The text of an id ("" for an unknown id).
    pub fn get(&self, id: u32) -> &str {
        self.strings
            .get(id as usize)
            .map_or("", |(t, _)| t.as_str())
    }

    /// Makes every string interned so far part of the static set.
    pub fn mark_static(&mut self) {
        self.static_len = self.strings.len() as u32;
    }

    /// Ids of the strings interned after the static set, oldest first.
    pub fn runtime_ids(&self) -> core::ops::Range<u32> {
        self.static_len..self.strings.len() as u32
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
