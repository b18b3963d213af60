//! `with`, `async with` and `async for`. In: the statement's parts. Out: instructions laid out
//! as CPython 3.11 does, in frost's opcodes:
//!
//! ```text
//! with:   ctx; BEFORE_WITH; store target | POP_TOP       [exit]
//!         body                                            (handler H at depth+1)
//!         LOAD_NONE x3; CALL 3; POP_TOP                    normal exit
//! H:      PUSH_EXC_INFO; WITH_EXCEPT_START                [exit, prev, exc, result]
//!         POP_JUMP_IF_TRUE S; RERAISE                     (handler C at depth+2)
//! S:      POP_TOP; POP_EXCEPT; POP_TOP                    suppressed: on after the with
//! C:      ROT_TWO; POP_EXCEPT; RERAISE                    restore prev, re-raise
//! ```
//! `async with` awaits `__aenter__()` (BEFORE_ASYNC_WITH pushes its awaitable iterator) and the
//! result of every `__aexit__` call (GET_AWAITABLE, LOAD_NONE, YIELD_FROM). Several items nest.
//! `return`/`break`/`continue` inside the body call exit with three Nones first (`leave_with`).

use frost_runtime::image::Opcode;

use crate::ast::{Expr, Stmt, WithItem};
use crate::diag::CompileError;

use super::{Block, FnCompiler};

impl<'a> FnCompiler<'a, '_> {
    /// `[async] with items: body`.
    pub(super) fn with_(
        &mut self,
        items: &'a [WithItem],
        body: &'a [Stmt],
        is_async: bool,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        let Some((item, inner_items)) = items.split_first() else {
            return self.block(body);
        };
        if is_async {
            self.check_async("'async with' outside async function", item.context.span)?;
        }
        let depth = self.base_depth();
        let (on_exc, suppress, cleanup, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        self.expr(&item.context)?;
        if is_async {
            self.op(BEFORE_ASYNC_WITH);
            self.op(LOAD_NONE);
            self.op(YIELD_FROM);
        } else {
            self.op(BEFORE_WITH);
        }
        match &item.target {
            Some(target) => self.store(target)?,
            None => self.op(POP_TOP),
        }
        let handler_level = self.code.handler_level();
        self.code.push_handler(on_exc, depth + 1);
        self.blocks.push(Block::With {
            handler_level,
            is_async,
        });
        let result = if inner_items.is_empty() {
            self.block(body)
        } else {
            self.with_(inner_items, body, is_async)
        };
        self.blocks.pop();
        self.code.pop_handler();
        result?;
        self.call_exit_with_nones(is_async);
        self.code.jump(JUMP, end);

        // [exit, exc] -> [exit, prev, exc]; exit(type, exc, tb) decides on suppression.
        self.code.place(on_exc);
        self.op(PUSH_EXC_INFO);
        self.code.push_handler(cleanup, depth + 2);
        self.op(WITH_EXCEPT_START);
        if is_async {
            self.await_top();
        }
        self.code.jump(POP_JUMP_IF_TRUE, suppress);
        self.op(RERAISE);
        self.code.pop_handler();
        self.code.place(suppress);
        self.op(POP_TOP);
        self.op(POP_EXCEPT);
        self.op(POP_TOP);
        self.code.jump(JUMP, end);
        self.code.place(cleanup);
        self.op(ROT_TWO);
        self.op(POP_EXCEPT);
        self.op(RERAISE);
        self.code.place(end);
        Ok(())
    }

    /// Exit code of a `with` block left by `return`/`break`/`continue`: [exit] (under the
    /// return value when `value`) -> [], calling exit(None, None, None).
    pub(super) fn leave_with(&mut self, handler_level: usize, is_async: bool, value: bool) {
        self.code.narrow_handlers(handler_level);
        if value {
            self.op(Opcode::ROT_TWO);
        }
        self.call_exit_with_nones(is_async);
    }

    /// `async for target in iter: body else: orelse`.
    pub(super) fn async_for(
        &mut self,
        target: &Expr,
        iter: &Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> Result<(), CompileError> {
        use Opcode::*;
        self.check_async("'async for' outside async function", iter.span)?;
        let depth = self.base_depth();
        let (top, exhausted, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        self.expr(iter)?;
        self.op(GET_AITER);
        self.code.place(top);
        // StopAsyncIteration from `__anext__` arrives at END_ASYNC_FOR with [aiter, exc].
        self.code.push_handler(exhausted, depth + 1);
        self.op(GET_ANEXT);
        self.op(LOAD_NONE);
        self.op(YIELD_FROM);
        self.code.pop_handler();
        self.store(target)?;
        self.loop_body(body, end, top, 1)?;
        self.code.jump(JUMP, top);
        self.code.place(exhausted);
        self.op(END_ASYNC_FOR);
        self.block(orelse)?;
        self.code.place(end);
        Ok(())
    }

    /// Only coroutine code awaits (the verifier refuses awaits anywhere else).
    fn check_async(&self, message: &str, span: crate::ast::Span) -> Result<(), CompileError> {
        if !self.scope.is_coroutine {
            return Err(CompileError::syntax(message, span));
        }
        Ok(())
    }

    /// [exit] -> []: exit(None, None, None), awaited for `async with`, result dropped.
    fn call_exit_with_nones(&mut self, is_async: bool) {
        use Opcode::*;
        for _ in 0..3 {
            self.op(LOAD_NONE);
        }
        self.op1(CALL, 3);
        if is_async {
            self.await_top();
        }
        self.op(POP_TOP);
    }

    /// [awaitable] -> [result], as `await` compiles.
    fn await_top(&mut self) {
        self.op(Opcode::GET_AWAITABLE);
        self.op(Opcode::LOAD_NONE);
        self.op(Opcode::YIELD_FROM);
    }
}
