//! Exceptions and early exits. In: try statements, `return`, `break`, `continue`. Out:
//! instructions and exception-handler ranges laid out as CPython 3.11 does: a handler is entered
//! with the exception pushed; PUSH_EXC_INFO saves the previously handled exception under it; a
//! cleanup handler around the except bodies restores it and re-raises; `except E as e` unbinds
//! `e` on every way out; a `finally` body is emitted inline on every exit path.
//!
//! Leaving blocks early walks the compile-time block stack innermost first, emitting each
//! block's exit code outside that block's handlers, and popping exactly its stack items.

use frost_runtime::image::Opcode;

use crate::ast::{ExceptHandler, Expr, Span, Stmt};
use crate::diag::CompileError;

use super::{Block, FnCompiler};

/// Why blocks are being left: a return keeps its value on top of the stack.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Exit {
    Return,
    Jump,
}

impl<'a> FnCompiler<'a, '_> {
    /// A try statement: try/finally around try/except/else when both are present.
    pub(super) fn try_(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
    ) -> Result<(), CompileError> {
        if finalbody.is_empty() {
            return self.try_except(body, handlers, orelse);
        }
        let depth = self.base_depth();
        let (on_exc, cleanup, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        let handler_level = self.code.handler_level();
        self.code.push_handler(on_exc, depth);
        self.blocks.push(Block::Finally {
            body: finalbody,
            handler_level,
        });
        let inner = if handlers.is_empty() {
            self.block(body).and_then(|()| self.block(orelse))
        } else {
            self.try_except(body, handlers, orelse)
        };
        self.blocks.pop();
        self.code.pop_handler();
        inner?;
        self.block(finalbody)?;
        self.code.jump(Opcode::JUMP, end);

        // Exceptional path: [exc] -> [prev, exc], run the body, re-raise exc.
        self.code.place(on_exc);
        self.op(Opcode::PUSH_EXC_INFO);
        let level = self.code.handler_level();
        self.code.push_handler(cleanup, depth + 1);
        self.blocks.push(Block::FinallyExc {
            handler_level: level,
        });
        let result = self.block(finalbody);
        self.blocks.pop();
        result?;
        self.op(Opcode::RERAISE);
        self.code.pop_handler();
        self.restore_and_reraise(cleanup);
        self.code.place(end);
        Ok(())
    }

    fn try_except(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [ExceptHandler],
        orelse: &'a [Stmt],
    ) -> Result<(), CompileError> {
        use Opcode::*;
        if body.is_empty() {
            // Nothing can raise, so no handler can run.
            return self.block(orelse);
        }
        let depth = self.base_depth();
        let (on_exc, cleanup, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        let handler_level = self.code.handler_level();
        self.code.push_handler(on_exc, depth);
        let result = self.block(body);
        self.code.pop_handler();
        result?;
        self.block(orelse)?;
        self.code.jump(JUMP, end);

        // [exc] -> [prev, exc]; the cleanup handler restores prev if anything below raises.
        self.code.place(on_exc);
        self.op(PUSH_EXC_INFO);
        self.code.push_handler(cleanup, depth + 1);
        for (i, h) in handlers.iter().enumerate() {
            self.set_line(h.span);
            let next = self.code.new_label();
            match &h.type_ {
                Some(type_) => {
                    // [prev, exc, type] -> [prev, exc, bool]
                    self.expr(type_)?;
                    self.op(CHECK_EXC_MATCH);
                    self.code.jump(POP_JUMP_IF_FALSE, next);
                }
                None if i + 1 < handlers.len() => {
                    return Err(CompileError::syntax(
                        "default 'except:' must be last",
                        h.span,
                    ));
                }
                None => {}
            }
            self.handler_body(h, depth, handler_level, end)?;
            self.code.place(next);
        }
        self.op(RERAISE);
        self.code.pop_handler();
        self.restore_and_reraise(cleanup);
        self.code.place(end);
        Ok(())
    }

    /// One except body, entered with [prev, exc]; leaves normally to `end`.
    fn handler_body(
        &mut self,
        h: &'a ExceptHandler,
        depth: u32,
        handler_level: usize,
        end: super::Label,
    ) -> Result<(), CompileError> {
        let name = h.name.as_ref().map(|n| n.name.as_str());
        let unbind = self.code.new_label();
        match name {
            Some(name) => {
                self.store_name(name);
                self.code.push_handler(unbind, depth + 1);
            }
            None => self.op(Opcode::POP_TOP),
        }
        let block = Block::Handler {
            name,
            handler_level,
        };
        self.blocks.push(block);
        let result = self.block(&h.body);
        self.blocks.pop();
        result?;
        if name.is_some() {
            self.code.pop_handler();
        }
        let saved = self.code.save_handlers();
        self.leave_block(block, Exit::Jump)?;
        self.code.jump(Opcode::JUMP, end);
        self.code.restore_handlers(saved);
        if let Some(name) = name {
            // An exception inside `except E as name:` unbinds name, then goes to cleanup.
            self.code.place(unbind);
            self.unbind(name);
            self.op(Opcode::RERAISE);
        }
        Ok(())
    }

    /// Handler entered with [prev, exc]: make prev the handled exception again, re-raise exc.
    fn restore_and_reraise(&mut self, cleanup: super::Label) {
        self.code.place(cleanup);
        self.op(Opcode::ROT_TWO);
        self.op(Opcode::POP_EXCEPT);
        self.op(Opcode::RERAISE);
    }

    fn unbind(&mut self, name: &str) {
        self.op(Opcode::LOAD_NONE);
        self.store_name(name);
        self.delete_name(name);
    }

    /// `return [value]`: the value first, then every enclosing block's exit code.
    pub(super) fn return_(&mut self, value: Option<&Expr>) -> Result<(), CompileError> {
        match value {
            Some(v) => self.expr(v)?,
            None => self.op(Opcode::LOAD_NONE),
        }
        let saved = self.code.save_handlers();
        self.leave_blocks(0, Exit::Return)?;
        self.code.narrow_handlers(0);
        self.op(Opcode::RETURN_VALUE);
        self.code.restore_handlers(saved);
        Ok(())
    }

    /// `break`: leave the blocks inside the loop, pop its iterator, jump past it.
    pub(super) fn break_(&mut self, span: Span) -> Result<(), CompileError> {
        let (i, block) = self.innermost_loop(span, "'break' outside loop")?;
        let Block::Loop {
            break_label,
            slots,
            handler_level,
            ..
        } = block
        else {
            return Err(CompileError::syntax("'break' outside loop", span));
        };
        let saved = self.code.save_handlers();
        self.leave_blocks(i + 1, Exit::Jump)?;
        self.code.narrow_handlers(handler_level);
        for _ in 0..slots {
            self.op(Opcode::POP_TOP);
        }
        self.code.jump(Opcode::JUMP, break_label);
        self.code.restore_handlers(saved);
        Ok(())
    }

    /// `continue`: leave the blocks inside the loop, jump to its next iteration.
    pub(super) fn continue_(&mut self, span: Span) -> Result<(), CompileError> {
        let message = "'continue' not properly in loop";
        let (i, block) = self.innermost_loop(span, message)?;
        let Block::Loop {
            continue_label,
            handler_level,
            ..
        } = block
        else {
            return Err(CompileError::syntax(message, span));
        };
        let saved = self.code.save_handlers();
        self.leave_blocks(i + 1, Exit::Jump)?;
        self.code.narrow_handlers(handler_level);
        self.code.jump(Opcode::JUMP, continue_label);
        self.code.restore_handlers(saved);
        Ok(())
    }

    fn innermost_loop(
        &self,
        span: Span,
        message: &str,
    ) -> Result<(usize, Block<'a>), CompileError> {
        self.blocks
            .iter()
            .enumerate()
            .rev()
            .find(|(_, b)| matches!(b, Block::Loop { .. }))
            .map(|(i, b)| (i, *b))
            .ok_or_else(|| CompileError::syntax(message, span))
    }

    /// Emits the exit code of blocks `from..` innermost first. The caller saves the handlers
    /// and restores them after its jump or return; these calls only narrow them.
    fn leave_blocks(&mut self, from: usize, exit: Exit) -> Result<(), CompileError> {
        for i in (from..self.blocks.len()).rev() {
            let Some(&block) = self.blocks.get(i) else {
                continue;
            };
            let outer = self.blocks.split_off(i);
            let result = self.leave_block(block, exit);
            self.blocks.extend(outer);
            result?;
        }
        Ok(())
    }

    /// Exit code of one block, emitted outside its handlers; `self.blocks` holds only the
    /// blocks around it while this runs (an inlined finally body sees the outer ones).
    fn leave_block(&mut self, block: Block<'a>, exit: Exit) -> Result<(), CompileError> {
        use Opcode::*;
        let value = exit == Exit::Return;
        match block {
            Block::Loop {
                slots,
                handler_level,
                ..
            } => {
                self.code.narrow_handlers(handler_level);
                if value {
                    self.pop_under_value(slots);
                }
            }
            Block::Finally {
                body,
                handler_level,
            } => {
                self.code.narrow_handlers(handler_level);
                // A break/continue/return inside the body must drop the pending value.
                if value {
                    self.blocks.push(Block::ReturnValue);
                }
                let result = self.block(body);
                if value {
                    self.blocks.pop();
                }
                result?;
            }
            Block::ReturnValue => {
                if value {
                    self.op(ROT_TWO);
                }
                self.op(POP_TOP);
            }
            Block::Handler {
                name,
                handler_level,
            } => {
                self.code.narrow_handlers(handler_level);
                if value {
                    self.op(ROT_TWO);
                }
                self.op(POP_EXCEPT);
                if let Some(name) = name {
                    self.unbind(name);
                }
            }
            Block::With {
                handler_level,
                is_async,
            } => self.leave_with(handler_level, is_async, value),
            Block::FinallyExc { handler_level } => {
                self.code.narrow_handlers(handler_level);
                if value {
                    self.op(ROT_THREE);
                }
                self.op(POP_TOP);
                self.op(POP_EXCEPT);
            }
        }
        Ok(())
    }

    /// Removes `n` stack items below the value on top.
    fn pop_under_value(&mut self, n: u32) {
        use Opcode::*;
        let mut left = n;
        while left >= 2 {
            // [a, b, v] -> [v, a, b] -> [v]
            self.op(ROT_THREE);
            self.op(POP_TOP);
            self.op(POP_TOP);
            left -= 2;
        }
        if left == 1 {
            self.op(ROT_TWO);
            self.op(POP_TOP);
        }
    }
}
