//! Instruction assembly for one code object. In: instructions with symbolic jump labels, the
//! source line and the innermost exception handler of each. Out: bytecode, line table,
//! exception table and the exact stack size, after a flow analysis that checks every depth
//! (as the verifier will) and drops unreachable instructions.
//!
//! Each instruction carries only its innermost handler (as CPython 3.11's assembler does), so
//! the exception table is a list of non-overlapping ranges: "innermost first" holds trivially.

use frost_runtime::image::opcode::{Args, Flow, Instr, Opcode, write_varuint};
use frost_runtime::image::{ExcEntry, MAX_CODE_LEN};

/// A jump target, placed later with `place`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) struct Label(usize);

/// An exception handler: where to go, and the stack depth to truncate to first.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) struct Handler {
    pub label: Label,
    pub depth: u32,
}

#[derive(Copy, Clone, Debug)]
enum Operand {
    Args(Args),
    Jump(Label),
}

#[derive(Copy, Clone, Debug)]
struct Pending {
    op: Opcode,
    operand: Operand,
    /// Keyword values popped in addition to `stack_effect` (CALL_KW, CALL_METHOD_KW).
    kw: u32,
    line: u32,
    handler: Option<Handler>,
}

/// The assembled parts of a code object.
pub(crate) struct Assembled {
    pub bytecode: Vec<u8>,
    pub line_table: Vec<u8>,
    pub exc_table: Vec<ExcEntry>,
    pub stack_size: u16,
}

/// Builds one code object's instruction list.
#[derive(Default)]
pub(crate) struct CodeBuilder {
    instrs: Vec<Pending>,
    labels: Vec<Option<usize>>,
    handlers: Vec<Handler>,
    /// Source line given to the instructions emitted from now on.
    pub line: u32,
}

impl CodeBuilder {
    /// An empty builder; instructions get line 1 until `line` is set.
    pub fn new() -> CodeBuilder {
        CodeBuilder {
            line: 1,
            ..CodeBuilder::default()
        }
    }

    /// A fresh label, not yet placed.
    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Places `label` before the next instruction emitted.
    pub fn place(&mut self, label: Label) {
        if let Some(slot) = self.labels.get_mut(label.0) {
            *slot = Some(self.instrs.len());
        }
    }

    /// Emits a non-jump instruction.
    pub fn emit(&mut self, op: Opcode, args: Args) {
        self.push(op, Operand::Args(args), 0);
    }

    /// Emits CALL_KW / CALL_METHOD_KW, which also pop `kw` keyword values.
    pub fn emit_kw(&mut self, op: Opcode, args: Args, kw: u32) {
        self.push(op, Operand::Args(args), kw);
    }

    /// Emits an instruction whose operand is a jump target.
    pub fn jump(&mut self, op: Opcode, target: Label) {
        self.push(op, Operand::Jump(target), 0);
    }

    fn push(&mut self, op: Opcode, operand: Operand, kw: u32) {
        self.instrs.push(Pending {
            op,
            operand,
            kw,
            line: self.line,
            handler: self.handlers.last().copied(),
        });
    }

    /// Protects the instructions emitted from now on with `handler` (innermost).
    pub fn push_handler(&mut self, label: Label, depth: u32) {
        self.handlers.push(Handler { label, depth });
    }

    /// Ends the protection of the innermost handler.
    pub fn pop_handler(&mut self) {
        self.handlers.pop();
    }

    /// How many handlers are active.
    pub fn handler_level(&self) -> usize {
        self.handlers.len()
    }

    /// The active handlers, to put back with `restore_handlers` after code that leaves blocks.
    pub fn save_handlers(&self) -> Vec<Handler> {
        self.handlers.clone()
    }

    /// Deactivates the handlers above `level` (code leaving their blocks).
    pub fn narrow_handlers(&mut self, level: usize) {
        self.handlers.truncate(level);
    }

    /// Puts back the handlers `save_handlers` returned.
    pub fn restore_handlers(&mut self, saved: Vec<Handler>) {
        self.handlers = saved;
    }

    /// Resolves labels, checks and measures the stack on every path, drops unreachable code
    /// and encodes. `Err` describes a codegen bug or a code object over `MAX_CODE_LEN`.
    pub fn assemble(self, with_lines: bool) -> Result<Assembled, String> {
        let target_of = |label: Label| -> Result<usize, String> {
            self.labels
                .get(label.0)
                .copied()
                .flatten()
                .ok_or_else(|| "jump to a label never placed".to_string())
        };
        let (depths, max_depth) = self.flow(&target_of)?;
        let reachable: Vec<usize> = (0..self.instrs.len())
            .filter(|&i| depths.get(i).copied().flatten().is_some())
            .collect();
        // New position of every old index: the first reachable instruction at or after it.
        let mut new_index = vec![reachable.len(); self.instrs.len() + 1];
        let mut next = reachable.len();
        for old in (0..self.instrs.len()).rev() {
            if let Ok(pos) = reachable.binary_search(&old) {
                next = pos;
            }
            new_index[old] = next;
        }
        let size = |p: &Pending| match p.operand {
            Operand::Args(args) => Instr::new(p.op, args).encoded_len(),
            Operand::Jump(_) => 3,
        };
        let mut offsets = Vec::with_capacity(reachable.len() + 1);
        let mut at = 0usize;
        for &i in &reachable {
            offsets.push(at);
            at += self.instrs.get(i).map_or(0, size);
        }
        offsets.push(at);
        if at > MAX_CODE_LEN {
            return Err(format!(
                "code too large: {at} bytes of bytecode (the limit is {MAX_CODE_LEN})"
            ));
        }
        let offset_of_label = |label: Label| -> Result<u32, String> {
            let old = target_of(label)?;
            let new = new_index.get(old).copied().unwrap_or(reachable.len());
            Ok(offsets.get(new).copied().unwrap_or(at) as u32)
        };
        let mut bytecode = Vec::with_capacity(at);
        for &i in &reachable {
            let Some(p) = self.instrs.get(i) else {
                continue;
            };
            let args = match p.operand {
                Operand::Args(args) => args,
                Operand::Jump(label) => Args::One(offset_of_label(label)?),
            };
            Instr::new(p.op, args).encode(&mut bytecode);
        }
        let mut exc_table: Vec<ExcEntry> = Vec::new();
        let mut open: Option<(usize, Handler)> = None;
        for (pos, &i) in reachable.iter().enumerate() {
            let handler = self.instrs.get(i).and_then(|p| p.handler);
            if open.map(|(_, h)| h) != handler {
                if let Some((start, h)) = open.take() {
                    exc_table.push(entry(
                        &offsets,
                        start,
                        pos,
                        offset_of_label(h.label)?,
                        h.depth,
                    ));
                }
                open = handler.map(|h| (pos, h));
            }
        }
        if let Some((start, h)) = open {
            exc_table.push(entry(
                &offsets,
                start,
                reachable.len(),
                offset_of_label(h.label)?,
                h.depth,
            ));
        }
        let mut line_table = Vec::new();
        if with_lines {
            let (mut last_offset, mut last_line) = (0usize, 1u32);
            for (pos, &i) in reachable.iter().enumerate() {
                let line = self.instrs.get(i).map_or(1, |p| p.line);
                if line > last_line {
                    let offset = offsets.get(pos).copied().unwrap_or(at);
                    write_varuint(&mut line_table, (offset - last_offset) as u32);
                    write_varuint(&mut line_table, line - last_line);
                    (last_offset, last_line) = (offset, line);
                }
            }
        }
        let stack_size = u16::try_from(max_depth)
            .map_err(|_| format!("expression too complex: stack depth {max_depth}"))?;
        Ok(Assembled {
            bytecode,
            line_table,
            exc_table,
            stack_size,
        })
    }

    /// Depth before each instruction (`None`: unreachable) and the largest depth reached.
    fn flow(
        &self,
        target_of: &dyn Fn(Label) -> Result<usize, String>,
    ) -> Result<(Vec<Option<u32>>, u32), String> {
        let mut depths: Vec<Option<u32>> = vec![None; self.instrs.len()];
        let mut work = vec![(0usize, 0u32)];
        let mut max_depth = 0u32;
        while let Some((i, depth)) = work.pop() {
            let Some(slot) = depths.get_mut(i) else {
                return Err("control falls off the end of the code".into());
            };
            match *slot {
                Some(d) if d == depth => continue,
                Some(d) => return Err(format!("stack depth {d} and {depth} meet at {i}")),
                None => *slot = Some(depth),
            }
            let Some(p) = self.instrs.get(i) else {
                return Err("control falls off the end of the code".into());
            };
            max_depth = max_depth.max(depth);
            let args = match p.operand {
                Operand::Args(args) => args,
                Operand::Jump(_) => Args::One(0),
            };
            let (pops, next, branch) = Instr::new(p.op, args).stack_effect();
            let pops = pops + p.kw;
            let Some(base) = depth.checked_sub(pops) else {
                return Err(format!("stack underflow at {i} ({:?})", p.op));
            };
            if let Some(h) = p.handler {
                // The VM may have popped the operands of an instruction that raises.
                let available = if cannot_raise(p.op) { depth } else { base };
                if available < h.depth {
                    return Err(format!("depth {available} below handler depth {}", h.depth));
                }
                max_depth = max_depth.max(h.depth + 1);
                work.push((target_of(h.label)?, h.depth + 1));
            }
            let flow = p.op.flow();
            if matches!(flow, Flow::Next | Flow::Branch) {
                max_depth = max_depth.max(base + next);
                work.push((i + 1, base + next));
            }
            if matches!(flow, Flow::Jump | Flow::Branch) {
                let Operand::Jump(label) = p.operand else {
                    return Err("jump without a label".into());
                };
                max_depth = max_depth.max(base + branch);
                work.push((target_of(label)?, base + branch));
            }
        }
        Ok((depths, max_depth))
    }
}

/// Instructions that keep their operands when they raise: those that only move values and
/// never raise, WITH_EXCEPT_START and GET_ANEXT (the verifier's list).
fn cannot_raise(op: Opcode) -> bool {
    use Opcode::*;
    matches!(
        op,
        WITH_EXCEPT_START
            | GET_ANEXT
            | COPY
            | SWAP
            | POP_TOP
            | DUP_TOP
            | DUP_TOP_TWO
            | ROT_TWO
            | ROT_THREE
            | STORE_FAST
            | PUSH_EXC_INFO
            | POP_EXCEPT
            | RETURN_VALUE
    )
}

fn entry(offsets: &[usize], start: usize, end: usize, handler: u32, depth: u32) -> ExcEntry {
    let at = |pos: usize| offsets.get(pos).copied().unwrap_or(0) as u16;
    ExcEntry {
        start: at(start),
        end: at(end),
        handler: handler as u16,
        depth: depth as u16,
    }
}
