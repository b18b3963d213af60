//! Range objects, for `range(...)` used as a value (a `for` over a literal range call uses
//! GET_RANGE and never builds one). In: start, stop, step. Out: length, items, repr.

use alloc::format;
use alloc::string::String;

/// `range(start, stop, step)`; step is never zero.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    /// Number of items.
    pub fn len(&self) -> i64 {
        let (lo, hi, step) = if self.step > 0 {
            (self.start, self.stop, self.step)
        } else {
            (self.stop, self.start, -self.step)
        };
        if hi <= lo {
            0
        } else {
            (hi - lo - 1) / step + 1
        }
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `i` (already normalised to `0..len`).
    pub fn item(&self, i: i64) -> i64 {
        self.start + i * self.step
    }

    /// `range(0, 3)` or `range(0, 3, 2)`, as CPython prints it.
    pub fn repr(&self) -> String {
        if self.step == 1 {
            format!("range({}, {})", self.start, self.stop)
        } else {
            format!("range({}, {}, {})", self.start, self.stop, self.step)
        }
    }
}
