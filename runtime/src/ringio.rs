//! The RingIO core (spec §4.8): a single-producer, single-consumer byte ring, lock-free.
//! In: bytes written by one context (e.g. an interrupt handler). Out: the same bytes, in order,
//! read by one other context (e.g. the Python program). No allocation after construction.
//!
//! Layout as MicroPython's: `len` bytes of storage hold at most `len - 1` bytes, so `put == get`
//! means empty and no count is shared. The writer only moves `put`, the reader only moves
//! `get`; each publishes its index with Release after touching the bytes, and loads the other's
//! index with Acquire before touching them, so a byte is never read before it is written nor
//! overwritten before it is read. The bytes themselves are `AtomicU8`s (Relaxed): safe Rust,
//! no `unsafe`, and the index handshake orders them.

use alloc::sync::Arc;

use crate::cells::Cells;
use crate::sync::{AtomicUsize, Ordering};

/// Smallest storage: one byte of capacity.
pub const MIN_LEN: usize = 2;
/// Largest storage: MicroPython keeps the indices in 16 bits.
pub const MAX_LEN: usize = 65535;

/// The shared ring: a window of storage and the two indices.
#[derive(Debug)]
pub struct Ring {
    /// The storage; for `RingIO(buffer)` the caller's bytearray's.
    cells: Cells,
    /// Where the ring's window starts in `cells`.
    start: usize,
    /// The window's length (capacity + 1).
    len: usize,
    /// Whether the storage was made for this ring (else it is a bytearray's, charged there).
    owns: bool,
    /// Next byte to read, relative to `start` (moved by the consumer only).
    get: AtomicUsize,
    /// Next byte to write, relative to `start` (moved by the producer only).
    put: AtomicUsize,
}

impl Ring {
    /// A ring over `len` fresh bytes of storage (capacity `len - 1`); None when `len` is
    /// outside `MIN_LEN..=MAX_LEN` or the storage cannot be allocated.
    pub fn new(len: usize) -> Option<Ring> {
        if !(MIN_LEN..=MAX_LEN).contains(&len) {
            return None;
        }
        let mut ring = Ring::over(Cells::zeroed(len)?, 0, len)?;
        ring.owns = true;
        Some(ring)
    }

    /// A ring over `len` bytes of `cells` from `start`, sharing them (`RingIO(buffer)`: the
    /// writes land there). Capacity `len - 1`, empty whatever the bytes hold. None when `len`
    /// is outside `MIN_LEN..=MAX_LEN` or the window is not inside `cells`.
    pub fn over(cells: Cells, start: usize, len: usize) -> Option<Ring> {
        if !(MIN_LEN..=MAX_LEN).contains(&len) || start.checked_add(len)? > cells.len() {
            return None;
        }
        Some(Ring {
            cells,
            start,
            len,
            owns: false,
            get: AtomicUsize::new(0),
            put: AtomicUsize::new(0),
        })
    }

    /// Bytes of storage this ring owns (0 over a caller's buffer, whose owner is charged).
    pub fn own_bytes(&self) -> usize {
        if self.owns { self.len } else { 0 }
    }

    /// The most bytes the ring holds.
    pub fn capacity(&self) -> usize {
        self.len - 1
    }

    /// Bytes readable now.
    pub fn any(&self) -> usize {
        let get = self.get.load(Ordering::Acquire);
        let put = self.put.load(Ordering::Acquire);
        self.distance(get, put)
    }

    /// Bytes writable now.
    pub fn free(&self) -> usize {
        self.capacity() - self.any()
    }

    /// Producer side: writes as much of `bytes` as fits; returns the count.
    pub fn write(&self, bytes: &[u8]) -> usize {
        let len = self.len;
        let window = self.window();
        let put = self.put.load(Ordering::Relaxed);
        let get = self.get.load(Ordering::Acquire);
        let room = self.capacity() - self.distance(get, put);
        let n = room.min(bytes.len());
        let mut at = put;
        for &b in bytes.iter().take(n) {
            if let Some(cell) = window.get(at) {
                cell.store(b, Ordering::Relaxed);
            }
            at = if at + 1 == len { 0 } else { at + 1 };
        }
        self.put.store(at, Ordering::Release);
        n
    }

    /// Consumer side: reads up to `out.len()` bytes, stopping after `stop` when given
    /// (readline); returns the count.
    pub fn read(&self, out: &mut [u8], stop: Option<u8>) -> usize {
        let len = self.len;
        let window = self.window();
        let get = self.get.load(Ordering::Relaxed);
        let put = self.put.load(Ordering::Acquire);
        let n = self.distance(get, put).min(out.len());
        let mut at = get;
        let mut count = 0;
        for slot in out.iter_mut().take(n) {
            let b = window.get(at).map_or(0, |c| c.load(Ordering::Relaxed));
            *slot = b;
            count += 1;
            at = if at + 1 == len { 0 } else { at + 1 };
            if Some(b) == stop {
                break;
            }
        }
        self.get.store(at, Ordering::Release);
        count
    }

    fn distance(&self, get: usize, put: usize) -> usize {
        if put >= get {
            put - get
        } else {
            put + self.len - get
        }
    }

    fn window(&self) -> &[crate::sync::AtomicU8] {
        let cells = self.cells.cells();
        cells.get(self.start..self.start + self.len).unwrap_or(&[])
    }
}

/// The producer end for firmware code (an ISR or another thread): `Send + Sync`, lock-free,
/// allocation-free. Use one producer at a time.
#[derive(Clone, Debug)]
pub struct Producer(pub Arc<Ring>);

impl Producer {
    /// Writes as much of `bytes` as fits; returns the count (0 when full).
    pub fn write(&self, bytes: &[u8]) -> usize {
        self.0.write(bytes)
    }

    /// Bytes writable now.
    pub fn free(&self) -> usize {
        self.0.free()
    }
}

/// The consumer end for firmware code: `Send + Sync`, lock-free, allocation-free. Use one
/// consumer at a time.
#[derive(Clone, Debug)]
pub struct Consumer(pub Arc<Ring>);

impl Consumer {
    /// Reads up to `out.len()` bytes; returns the count (0 when empty).
    pub fn read(&self, out: &mut [u8]) -> usize {
        self.0.read(out, None)
    }

    /// Bytes readable now.
    pub fn any(&self) -> usize {
        self.0.any()
    }
}
