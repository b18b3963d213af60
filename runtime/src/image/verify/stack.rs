//! Stack depths. In: one code object whose instructions, operands, jump targets and exception
//! entries are already checked, and its instruction starts. Out: `Ok` when every path from
//! offset 0 keeps the operand stack within `0..=stack_size`, every instruction is reached with
//! one depth whatever the path, and no path runs off the end of the code.
//!
//! A worklist over offsets; each instruction is visited once, when its depth is first set, so
//! the pass is linear. Exception edges follow the VM: an instruction that raises goes to the
//! first exception entry covering it, with the stack truncated to `entry.depth` and the
//! exception pushed. Instructions may pop their operands before raising, so the VM can rely on
//! at least `depth - pops` values being there; the entry's depth may not exceed that.

use alloc::collections::BinaryHeap;
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Reverse;

use super::code::{decode_at, keyword_count};
use crate::image::LoadError;
use crate::image::format::{CodeObject, ExcEntry, ModuleImage};
use crate::image::opcode::{Flow, Instr, Opcode};

/// Depth of an offset no path has reached yet.
const UNSEEN: u32 = u32::MAX;
/// `first_handler` of an offset that no entry covers.
const NO_HANDLER: u32 = u32::MAX;

/// Runs the abstract interpretation of stack depths over all paths from offset 0.
pub(super) fn check_stack(
    c: u32,
    code: &CodeObject<'_>,
    module: &ModuleImage<'_>,
    starts: &[bool],
) -> Result<(), LoadError> {
    let bytecode = code.bytecode;
    let declared = u32::from(code.stack_size);
    for entry in &code.exc_table {
        if u32::from(entry.depth) >= declared {
            return Err(LoadError::StackOverflow {
                code: c,
                offset: u32::from(entry.handler),
                declared,
            });
        }
    }
    let handlers = first_handlers(&code.exc_table, starts);
    let mut walk = Walk {
        c,
        declared,
        depth: vec![UNSEEN; bytecode.len()],
        work: Vec::new(),
    };
    walk.enter(0, 0, 0)?;
    while let Some(pc) = walk.work.pop() {
        let depth = walk.depth.get(pc).copied().unwrap_or(UNSEEN);
        let (instr, next) = decode_at(c, bytecode, pc)?;
        let (pops, push_next, push_branch) = effect(&instr, module);
        let offset = pc as u32;
        let Some(base) = depth.checked_sub(pops) else {
            return Err(LoadError::StackUnderflow { code: c, offset });
        };
        let handler = handlers.get(pc).copied().unwrap_or(NO_HANDLER);
        if let Some(entry) = code.exc_table.get(handler as usize) {
            let available = if pops_before_raising(instr.op) {
                base
            } else {
                depth
            };
            let kept = u32::from(entry.depth);
            if kept > available {
                return Err(LoadError::HandlerDepth {
                    code: c,
                    offset,
                    depth: kept,
                    available,
                });
            }
            walk.enter(offset, usize::from(entry.handler), u64::from(kept) + 1)?;
        }
        let pushed = |n: u32| u64::from(base) + u64::from(n);
        match instr.op.flow() {
            Flow::Next => walk.enter(offset, next, pushed(push_next))?,
            Flow::Jump => walk.enter(offset, instr.a() as usize, pushed(push_branch))?,
            Flow::Branch => {
                walk.enter(offset, next, pushed(push_next))?;
                walk.enter(offset, instr.a() as usize, pushed(push_branch))?;
            }
            Flow::Exit => {}
        }
    }
    Ok(())
}

struct Walk {
    c: u32,
    declared: u32,
    depth: Vec<u32>,
    work: Vec<usize>,
}

impl Walk {
    /// Records that the instruction at `from` continues at `to` with `depth` values.
    fn enter(&mut self, from: u32, to: usize, depth: u64) -> Result<(), LoadError> {
        let Some(slot) = self.depth.get_mut(to) else {
            // Targets were checked, so only falling through past the last byte gets here.
            return Err(LoadError::FallsOffEnd { code: self.c });
        };
        if depth > u64::from(self.declared) {
            return Err(LoadError::StackOverflow {
                code: self.c,
                offset: from,
                declared: self.declared,
            });
        }
        let depth = depth as u32;
        if *slot == UNSEEN {
            *slot = depth;
            self.work.push(to);
        } else if *slot != depth {
            return Err(LoadError::StackMismatch {
                code: self.c,
                offset: to as u32,
            });
        }
        Ok(())
    }
}

/// `(pops, pushes_next, pushes_branch)`, with the keyword values of the *_KW calls added.
fn effect(instr: &Instr, module: &ModuleImage<'_>) -> (u32, u32, u32) {
    let (pops, next, branch) = instr.stack_effect();
    let pops = match instr.op {
        Opcode::CALL_KW | Opcode::CALL_METHOD_KW => {
            pops.saturating_add(keyword_count(module, instr.b()))
        }
        _ => pops,
    };
    (pops, next, branch)
}

/// Whether the VM may have popped the instruction's operands when it raises. Exempt are the
/// instructions that cannot raise at all (they only move values the handler may keep), and
/// two that read their operands in place: WITH_EXCEPT_START (the `with` cleanup handler keeps
/// `exit` and the previous exception) and GET_ANEXT (END_ASYNC_FOR's handler keeps `aiter`).
fn pops_before_raising(op: Opcode) -> bool {
    use Opcode::*;
    !matches!(
        op,
        WITH_EXCEPT_START
            | GET_ANEXT
            | POP_TOP
            | DUP_TOP
            | DUP_TOP_TWO
            | ROT_TWO
            | ROT_THREE
            | COPY
            | SWAP
            | STORE_FAST
            | PUSH_EXC_INFO
            | POP_EXCEPT
            | RETURN_VALUE
    )
}

/// For each instruction start, the index of the first exception entry covering it (the one the
/// VM picks), or `NO_HANDLER`. A sweep over offsets with a min-heap of open entries.
fn first_handlers(entries: &[ExcEntry], starts: &[bool]) -> Vec<u32> {
    let mut handlers = vec![NO_HANDLER; starts.len()];
    if entries.is_empty() {
        return handlers;
    }
    let mut by_start: Vec<u32> = (0..entries.len() as u32).collect();
    by_start.sort_unstable_by_key(|&i| entries.get(i as usize).map_or(0, |e| e.start));
    let mut pending = by_start.into_iter().peekable();
    let mut open: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
    for (pc, slot) in handlers.iter_mut().enumerate() {
        if !starts.get(pc).copied().unwrap_or(false) {
            continue;
        }
        while let Some(&i) = pending.peek() {
            match entries.get(i as usize) {
                Some(e) if usize::from(e.start) <= pc => {
                    open.push(Reverse(i));
                    pending.next();
                }
                _ => break,
            }
        }
        while let Some(&Reverse(i)) = open.peek() {
            match entries.get(i as usize) {
                Some(e) if usize::from(e.end) > pc => break,
                _ => {
                    open.pop();
                }
            }
        }
        if let Some(&Reverse(i)) = open.peek() {
            *slot = i;
        }
    }
    handlers
}
