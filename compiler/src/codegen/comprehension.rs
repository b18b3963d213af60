//! Comprehensions. In: a list/set/dict comprehension or generator expression and its `Scope`.
//! Out: a nested code object with one parameter `.0` (a generator code object for a generator
//! expression), made and called with the outermost iterable, which the enclosing scope
//! evaluates (and, for a generator expression, turns into an iterator, as CPython does). Inside: GET_ITER/FOR_ITER loops (GET_RANGE/FOR_RANGE for inner `range(..)`,
//! GET_AITER/GET_ANEXT with an END_ASYNC_FOR handler for `async for`), the conditions as jumps
//! back to the loop head, and LIST_APPEND/SET_ADD/MAP_ADD reaching the accumulator below the
//! iterators, or YIELD_VALUE.

use frost_runtime::image::Opcode;

use crate::ast::{Comprehension, Expr, ExprKind};
use crate::diag::CompileError;

use super::FnCompiler;
use super::function::Shape;
use super::stmt::range_args;

/// What a comprehension builds.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    List,
    Set,
    Dict,
    Generator,
}

impl<'a> FnCompiler<'a, '_> {
    /// Any comprehension expression: pushes its result (a list, set, dict or generator).
    pub(super) fn comprehension(&mut self, e: &Expr) -> Result<(), CompileError> {
        let (kind, elt, value, generators) = match &e.kind {
            ExprKind::ListComp { elt, generators } => (Kind::List, &**elt, None, generators),
            ExprKind::SetComp { elt, generators } => (Kind::Set, &**elt, None, generators),
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => (Kind::Dict, &**key, Some(&**value), generators),
            ExprKind::GeneratorExp { elt, generators } => {
                (Kind::Generator, &**elt, None, generators)
            }
            _ => return Err(CompileError::syntax("not a comprehension", e.span)),
        };
        let Some(first) = generators.first() else {
            return Err(CompileError::syntax("invalid syntax", e.span));
        };
        let symbols: &'a crate::scope::SymbolTable = self.unit.symbols;
        let scope = symbols.expr(e).ok_or_else(|| {
            CompileError::syntax("comprehension missing from scope analysis", e.span)
        })?;
        let shape = Shape {
            n_params: 1,
            ..Shape::default()
        };
        let code_idx = self.compile_code(scope, shape, e.span, |inner| {
            inner.comprehension_body(kind, generators, elt, value)
        })?;
        self.make_function(code_idx, scope, None)?;
        self.expr(&first.iter)?;
        if kind == Kind::Generator && !first.is_async {
            // A generator runs later, but CPython calls iter() where the expression is
            // written (`(x for x in 5)` fails there); the others run at once anyway.
            self.op(Opcode::GET_YIELD_FROM_ITER);
        }
        self.op1(Opcode::CALL, 1);
        if scope.is_coroutine && kind != Kind::Generator {
            self.op(Opcode::GET_AWAITABLE);
            self.op(Opcode::LOAD_NONE);
            self.op(Opcode::YIELD_FROM);
        }
        Ok(())
    }

    fn comprehension_body(
        &mut self,
        kind: Kind,
        generators: &[Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<(), CompileError> {
        let accumulators = match kind {
            Kind::List => {
                self.op1(Opcode::BUILD_LIST, 0);
                1
            }
            Kind::Set => {
                self.op1(Opcode::BUILD_SET, 0);
                1
            }
            Kind::Dict => {
                self.op1(Opcode::BUILD_MAP, 0);
                1
            }
            Kind::Generator => 0,
        };
        self.comprehension_loop(kind, generators, 0, accumulators, elt, value)?;
        if kind == Kind::Generator {
            self.op(Opcode::LOAD_NONE);
        }
        self.op(Opcode::RETURN_VALUE);
        Ok(())
    }

    /// The loop of `generators[index]` and everything inside it; `depth` values (the
    /// accumulator and outer iterators) are on the stack below.
    fn comprehension_loop(
        &mut self,
        kind: Kind,
        generators: &[Comprehension],
        index: usize,
        depth: u32,
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        let Some(g) = generators.get(index) else {
            return self.comprehension_element(kind, depth, elt, value);
        };
        if g.is_async {
            return self.async_comprehension_loop(kind, generators, index, depth, elt, value);
        }
        let (top, end) = (self.code.new_label(), self.code.new_label());
        let (next, slots) = match (index, range_args(&g.iter)) {
            (0, _) => {
                self.load_name(".0");
                self.op(GET_ITER);
                (FOR_ITER, 2)
            }
            (_, Some(args)) => {
                args.iter().try_for_each(|a| self.expr(a))?;
                self.op1(GET_RANGE, args.len() as u32);
                (FOR_RANGE, 3)
            }
            (_, None) => {
                self.expr(&g.iter)?;
                self.op(GET_ITER);
                (FOR_ITER, 2)
            }
        };
        self.code.place(top);
        self.code.jump(next, end);
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, top)?;
        }
        self.comprehension_loop(kind, generators, index + 1, depth + slots, elt, value)?;
        self.code.jump(JUMP, top);
        self.code.place(end);
        Ok(())
    }

    /// `async for` in a comprehension: the async iterator stays on the stack; awaiting
    /// `__anext__()` is protected by a handler that ends the loop on StopAsyncIteration.
    fn async_comprehension_loop(
        &mut self,
        kind: Kind,
        generators: &[Comprehension],
        index: usize,
        depth: u32,
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        let Some(g) = generators.get(index) else {
            return Ok(());
        };
        let (top, on_exc) = (self.code.new_label(), self.code.new_label());
        if index == 0 {
            self.load_name(".0");
        } else {
            self.expr(&g.iter)?;
        }
        self.op(GET_AITER);
        self.code.place(top);
        self.op(GET_ANEXT);
        self.code.push_handler(on_exc, depth + 1);
        self.op(LOAD_NONE);
        self.op(YIELD_FROM);
        self.code.pop_handler();
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, top)?;
        }
        self.comprehension_loop(kind, generators, index + 1, depth + 1, elt, value)?;
        self.code.jump(JUMP, top);
        self.code.place(on_exc);
        self.op(END_ASYNC_FOR);
        Ok(())
    }

    /// The innermost body: adds the element to the accumulator `depth` items down, or yields.
    fn comprehension_element(
        &mut self,
        kind: Kind,
        depth: u32,
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        self.expr(elt)?;
        match (kind, value) {
            (Kind::List, _) => self.op1(LIST_APPEND, depth),
            (Kind::Set, _) => self.op1(SET_ADD, depth),
            (Kind::Dict, Some(v)) => {
                self.expr(v)?;
                self.op1(MAP_ADD, depth);
            }
            (Kind::Dict, None) => {
                return Err(CompileError::syntax(
                    "dict comprehension without a value",
                    elt.span,
                ));
            }
            (Kind::Generator, _) => {
                self.op(YIELD_VALUE);
                self.op(POP_TOP);
            }
        }
        Ok(())
    }
}
