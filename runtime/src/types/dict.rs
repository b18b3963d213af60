//! Dicts: an insertion-ordered hash table (entries in order plus an open-addressed index).
//! In: keys with their hashes (from `types::int::hash`, `types::str::hash_str`, ...) and an
//! equality test supplied by the caller. Out: lookups, inserts, deletes, ordered iteration.
//! Growth is two-step so the VM can charge the budget before any storage grows.

use alloc::collections::TryReserveError;
use alloc::vec::Vec;

use crate::value::Value;

const EMPTY: u32 = u32::MAX;
const MIN_INDEX: usize = 8;

/// One entry; a deleted entry keeps its slot with `key` NULL until the next rebuild.
#[derive(Copy, Clone, Debug)]
pub struct Entry {
    pub hash: u64,
    pub key: Value,
    pub value: Value,
}

/// An insertion-ordered dict.
#[derive(Debug, Default)]
pub struct Dict {
    entries: Vec<Entry>,
    index: Vec<u32>,
    live: usize,
}

impl Dict {
    /// An empty dict (allocates nothing until the first insert).
    pub fn new() -> Dict {
        Dict::default()
    }

    /// Number of live entries.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the dict is empty.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Bytes of storage, as the budget charges it.
    pub fn payload_bytes(&self) -> usize {
        self.entries.capacity() * 24 + self.index.len() * 4
    }

    /// The payload after the next insert, when that insert needs to grow the storage first.
    pub fn growth_needed(&self) -> Option<usize> {
        if !self.index.is_empty()
            && (self.entries.len() < self.entries.capacity() || self.live < self.entries.len())
        {
            // Room, or deleted entries that `push` compacts away in place.
            return None;
        }
        let (ix, cap) = self.next_size();
        Some(cap * 24 + ix * 4)
    }

    fn next_size(&self) -> (usize, usize) {
        let mut ix = self.index.len().max(MIN_INDEX);
        while (self.live + 1) * 3 > ix * 2 - ix / 4 {
            ix *= 2;
        }
        (ix, ix * 2 / 3)
    }

    /// Grows (and compacts) the storage as `growth_needed` announced.
    pub fn grow(&mut self) -> Result<(), TryReserveError> {
        let (ix, cap) = self.next_size();
        let mut entries: Vec<Entry> = Vec::new();
        entries.try_reserve_exact(cap)?;
        let mut index: Vec<u32> = Vec::new();
        index.try_reserve_exact(ix)?;
        index.resize(ix, EMPTY);
        entries.extend(self.entries.iter().filter(|e| !e.key.is_null()).copied());
        self.entries = entries;
        self.index = index;
        for i in 0..self.entries.len() {
            let hash = self.entries[i].hash;
            let slot = self.free_slot(hash);
            self.index[slot] = i as u32;
        }
        Ok(())
    }

    fn free_slot(&self, hash: u64) -> usize {
        let mask = self.index.len() - 1;
        let mut i = (hash as usize) & mask;
        while self.index[i] != EMPTY {
            i = (i + 1) & mask;
        }
        i
    }

    /// The position of `key` in the entries, comparing candidates with `eq`.
    pub fn find(&self, hash: u64, key: Value, eq: &dyn Fn(Value, Value) -> bool) -> Option<usize> {
        if self.index.is_empty() {
            return None;
        }
        let mask = self.index.len() - 1;
        let mut i = (hash as usize) & mask;
        loop {
            let at = *self.index.get(i)?;
            if at == EMPTY {
                return None;
            }
            if let Some(e) = self.entries.get(at as usize)
                && e.hash == hash
                && !e.key.is_null()
                && (e.key.is(key) || eq(e.key, key))
            {
                return Some(at as usize);
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry at `pos` (live or deleted), for iteration by position.
    pub fn entry(&self, pos: usize) -> Option<&Entry> {
        self.entries.get(pos)
    }

    /// Number of entry positions (live and deleted): iteration runs over `0..positions()`.
    pub fn positions(&self) -> usize {
        self.entries.len()
    }

    /// Replaces the value at `pos`.
    pub fn set_at(&mut self, pos: usize, value: Value) {
        if let Some(e) = self.entries.get_mut(pos) {
            e.value = value;
        }
    }

    /// Appends a new key; the caller checked `find` found nothing and `growth_needed` is None.
    pub fn push(&mut self, hash: u64, key: Value, value: Value) {
        if self.entries.len() >= self.entries.capacity() && self.live < self.entries.len() {
            self.compact();
        }
        if self.entries.len() >= self.entries.capacity() || self.index.is_empty() {
            return;
        }
        let slot = self.free_slot(hash);
        self.index[slot] = self.entries.len() as u32;
        self.entries.push(Entry { hash, key, value });
        self.live += 1;
    }

    /// Drops deleted entries and rebuilds the index, all in place (no allocation).
    fn compact(&mut self) {
        self.entries.retain(|e| !e.key.is_null());
        self.index.iter_mut().for_each(|i| *i = EMPTY);
        for i in 0..self.entries.len() {
            let hash = self.entries[i].hash;
            let slot = self.free_slot(hash);
            self.index[slot] = i as u32;
        }
    }

    /// Deletes the entry at `pos`, returning it.
    pub fn remove_at(&mut self, pos: usize) -> Option<Entry> {
        let e = self.entries.get_mut(pos)?;
        if e.key.is_null() {
            return None;
        }
        let old = *e;
        e.key = Value::NULL;
        e.value = Value::NULL;
        self.live -= 1;
        Some(old)
    }

    /// Removes everything, keeping the storage.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index.iter_mut().for_each(|i| *i = EMPTY);
        self.live = 0;
    }

    /// Live entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| !e.key.is_null())
    }

    /// Reports every key and value to the collector.
    pub fn trace(&self, visit: &mut dyn FnMut(Value)) {
        for e in self.iter() {
            visit(e.key);
            visit(e.value);
        }
    }
}
