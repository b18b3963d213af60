//! The heap drawn as MicroPython's block table (spec §4.1). In: the live objects as
//! (kind character, charged bytes) in slot order, and the budget. Out: block counts
//! (`No. of 1-blocks ...`) and the verbose map text.
//!
//! Design note: the slab has no addresses, so `mem_info` draws a *linear model* of it. The
//! budget is `total / BLOCK` blocks. Live objects occupy their charged blocks one after the
//! other in slot order (first block: the object's kind character, the others `=`), and every
//! block after the last object is free (`.`). Freed slots take no room in the model, so the
//! longest free run ("max free sz") is the tail: the model shows what the budget still holds,
//! not fragmentation (the slab does not fragment the budget: any free bytes fit any object).
//! Figures are exact for the model: used + free = total, 1-/2-blocks count objects charged
//! exactly one or two blocks, "max blk sz" is the largest object in blocks.

use alloc::string::String;
use core::fmt::Write;

use super::BLOCK;

/// Blocks drawn per map line, as MicroPython's `gc_dump_alloc_table`.
pub const BLOCKS_PER_LINE: usize = 64;

/// Allocation counts of the block model.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct BlockCounts {
    /// Objects exactly one block long.
    pub one: usize,
    /// Objects exactly two blocks long.
    pub two: usize,
    /// The largest object, in blocks.
    pub max_blk: usize,
    /// The longest free run, in blocks.
    pub max_free: usize,
}

/// Counts over objects of `sizes` bytes each (charged, so whole blocks) under `total` bytes.
pub fn counts(sizes: impl Iterator<Item = usize>, total: usize) -> BlockCounts {
    let mut c = BlockCounts::default();
    let mut used = 0usize;
    for bytes in sizes {
        let blocks = bytes / BLOCK;
        used = used.saturating_add(blocks);
        match blocks {
            1 => c.one += 1,
            2 => c.two += 1,
            _ => {}
        }
        c.max_blk = c.max_blk.max(blocks);
    }
    c.max_free = (total / BLOCK).saturating_sub(used);
    c
}

/// Appends the verbose map: per `BLOCKS_PER_LINE` blocks a line `\n<8-hex byte offset>: `
/// and one character per block; two or more consecutive all-free lines collapse to
/// `\n       (<n> lines all free)`. Ends with a newline.
pub fn draw(objects: impl Iterator<Item = (u8, usize)>, total: usize, out: &mut String) {
    let total_blocks = total / BLOCK;
    let mut cells = objects
        .flat_map(|(kind, bytes)| {
            let blocks = bytes / BLOCK;
            (0..blocks).map(move |i| if i == 0 { kind } else { b'=' })
        })
        .peekable();
    let mut bl = 0;
    while bl < total_blocks {
        // Objects are packed, so a line can start free only in the tail, which is all free.
        if cells.peek().is_none() {
            let free_run = total_blocks - bl;
            if free_run >= 2 * BLOCKS_PER_LINE {
                let _ = write!(
                    out,
                    "\n       ({} lines all free)",
                    free_run / BLOCKS_PER_LINE
                );
                bl += free_run - free_run % BLOCKS_PER_LINE;
                if bl >= total_blocks {
                    break;
                }
            }
        }
        let _ = write!(out, "\n{:08x}: ", bl * BLOCK);
        let end = (bl + BLOCKS_PER_LINE).min(total_blocks);
        for _ in bl..end {
            out.push(char::from(cells.next().unwrap_or(b'.')));
        }
        bl = end;
    }
    out.push('\n');
}
