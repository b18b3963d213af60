//! Shared byte cells: the storage of a `bytearray`, which a `RingIO` (and through it an
//! interrupt handler) may share. In: bytes and indices. Out: `Cells`, a growable byte buffer
//! whose bytes are `AtomicU8`s behind an `Arc`.
//!
//! Why atomics: `RingIO(buffer)` writes land in the caller's bytearray (spec §4.8) while a
//! Rust producer or consumer on another context moves bytes through the same memory. Atomic
//! bytes make that sharing safe Rust with no `unsafe`; a Relaxed load or store of a byte is a
//! plain load or store on every target, so bytearray code pays nothing for it.
//!
//! Growing or shrinking needs the storage unshared (`Arc::get_mut`): while a RingIO holds it,
//! resizing is refused (`ResizeError::Exported`), as CPython refuses to resize a buffer with live exports.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::sync::{AtomicU8, Ordering};

/// A byte buffer of atomic cells, shareable with a ring.
#[derive(Debug, Default)]
pub struct Cells(Arc<Vec<AtomicU8>>);

/// Resizing failed: the storage is shared, or memory ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResizeError {
    /// A RingIO shares the storage.
    Exported,
    /// The allocator refused.
    NoMemory,
}

impl Cells {
    /// `len` zero bytes; None when the allocator refuses.
    pub fn zeroed(len: usize) -> Option<Cells> {
        let mut v = Vec::new();
        v.try_reserve_exact(len).ok()?;
        v.extend((0..len).map(|_| AtomicU8::new(0)));
        Some(Cells(Arc::new(v)))
    }

    /// A copy of `bytes`; None when the allocator refuses.
    pub fn from_slice(bytes: &[u8]) -> Option<Cells> {
        let mut v = Vec::new();
        v.try_reserve_exact(bytes.len()).ok()?;
        v.extend(bytes.iter().map(|b| AtomicU8::new(*b)));
        Some(Cells(Arc::new(v)))
    }

    /// Another handle on the same storage (for a ring).
    pub fn share(&self) -> Cells {
        Cells(Arc::clone(&self.0))
    }

    /// True when a ring shares this storage.
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bytes of storage owned (what the heap budget charges).
    pub fn capacity(&self) -> usize {
        self.0.capacity()
    }

    /// The byte at `i`.
    pub fn get(&self, i: usize) -> Option<u8> {
        self.0.get(i).map(|c| c.load(Ordering::Relaxed))
    }

    /// Stores `b` at `i`; false when `i` is out of range.
    pub fn set(&self, i: usize, b: u8) -> bool {
        match self.0.get(i) {
            Some(c) => {
                c.store(b, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The cells themselves (a ring indexes into them).
    pub fn cells(&self) -> &[AtomicU8] {
        &self.0
    }

    /// The bytes in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = u8> + ExactSizeIterator + '_ {
        self.0.iter().map(|c| c.load(Ordering::Relaxed))
    }

    /// The bytes of `range` copied into `out` (which must be as long); false when out of range.
    pub fn read_into(&self, start: usize, out: &mut [u8]) -> bool {
        let Some(cells) = self.0.get(start..start.saturating_add(out.len())) else {
            return false;
        };
        for (o, c) in out.iter_mut().zip(cells) {
            *o = c.load(Ordering::Relaxed);
        }
        true
    }

    /// Copies `bytes` over the cells from `start`; false when they do not fit.
    pub fn write_at(&self, start: usize, bytes: &[u8]) -> bool {
        let Some(cells) = self.0.get(start..start.saturating_add(bytes.len())) else {
            return false;
        };
        for (c, b) in cells.iter().zip(bytes) {
            c.store(*b, Ordering::Relaxed);
        }
        true
    }

    /// A copy of the bytes; None when the allocator refuses.
    pub fn to_vec(&self) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        v.try_reserve_exact(self.len()).ok()?;
        v.extend(self.iter());
        Some(v)
    }

    /// Makes room for `additional` more bytes without changing the length, so the caller
    /// decides (and charges) the capacity. Refused while a ring shares the storage.
    pub fn reserve_exact(&mut self, additional: usize) -> Result<(), ResizeError> {
        let v = Arc::get_mut(&mut self.0).ok_or(ResizeError::Exported)?;
        v.try_reserve_exact(additional)
            .map_err(|_| ResizeError::NoMemory)
    }

    /// Replaces `start..end` with `bytes` (growing or shrinking), as slice assignment and
    /// `extend`/`append`/`pop` need. Refused while a ring shares the storage, unless the
    /// length does not change (then the bytes are stored in place).
    pub fn splice(&mut self, start: usize, end: usize, bytes: &[u8]) -> Result<(), ResizeError> {
        let len = self.len();
        let end = end.clamp(start.min(len), len);
        let start = start.min(end);
        if end - start == bytes.len() {
            self.write_at(start, bytes);
            return Ok(());
        }
        let v = Arc::get_mut(&mut self.0).ok_or(ResizeError::Exported)?;
        let grow = bytes.len().saturating_sub(end - start);
        v.try_reserve(grow).map_err(|_| ResizeError::NoMemory)?;
        v.splice(start..end, bytes.iter().map(|b| AtomicU8::new(*b)));
        Ok(())
    }
}
