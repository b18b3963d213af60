//! Functions. In: `def`, `lambda`, `yield`, `yield from`, `await`, `:=`, and the `Scope` of each
//! body. Out: a code object per function (parameter counts and flags, cell and free variable
//! tables, cell parameters copied into their cells at entry) and, in the enclosing code, the
//! instructions that make it: decorators, a defaults tuple (one constant when every default
//! is constant), a keyword-only defaults dict, a closure tuple, MAKE_FUNCTION, decorator calls.

use frost_runtime::image::format::{
    CODE_CLASS_BODY, CODE_COROUTINE, CODE_GENERATOR, CODE_VARARGS, CODE_VARKEYWORDS,
};
use frost_runtime::image::{Args, Opcode};

use crate::ast::{Constant, Expr, ExprKind, FunctionDef, Parameters, Span};
use crate::diag::CompileError;
use crate::scope::{Binding, Scope, ScopeKind};

use super::{CodeData, FnCompiler, limit_u16};

/// The parameter counts of a code object.
#[derive(Copy, Clone, Default)]
pub(super) struct Shape {
    pub n_params: u16,
    pub n_kwonly: u16,
    pub varargs: bool,
    pub varkeywords: bool,
}

impl Shape {
    fn of(params: &Parameters, span: Span) -> Result<Shape, CompileError> {
        Ok(Shape {
            n_params: limit_u16(params.args.len(), "parameters", span)?,
            n_kwonly: limit_u16(params.kwonly.len(), "keyword-only parameters", span)?,
            varargs: params.vararg.is_some(),
            varkeywords: params.kwarg.is_some(),
        })
    }

    /// Local slots taken by parameters of every kind.
    fn slots(self) -> usize {
        usize::from(self.n_params)
            + usize::from(self.n_kwonly)
            + usize::from(self.varargs)
            + usize::from(self.varkeywords)
    }
}

impl<'a> FnCompiler<'a, '_> {
    /// `@decorators [async] def name(params): body`, bound to `name`.
    pub(super) fn function_def(
        &mut self,
        def: &'a FunctionDef,
        span: Span,
    ) -> Result<(), CompileError> {
        let symbols: &'a crate::scope::SymbolTable = self.unit.symbols;
        let scope = symbols
            .function(def)
            .ok_or_else(|| CompileError::syntax("function missing from scope analysis", span))?;
        let decorators = self.decorators(&def.decorators)?;
        let shape = Shape::of(&def.params, span)?;
        let code_idx = self.compile_code(scope, shape, def.name.span, |inner| {
            inner.block(&def.body)?;
            inner.op(Opcode::LOAD_NONE);
            inner.op(Opcode::RETURN_VALUE);
            Ok(())
        })?;
        self.set_line(span);
        self.make_function(code_idx, scope, Some(&def.params))?;
        self.apply_decorators(decorators);
        self.store_name(&def.name.name);
        Ok(())
    }

    /// `lambda params: body`.
    pub(super) fn lambda(
        &mut self,
        e: &Expr,
        params: &Parameters,
        body: &Expr,
    ) -> Result<(), CompileError> {
        let symbols: &'a crate::scope::SymbolTable = self.unit.symbols;
        let scope = symbols
            .expr(e)
            .ok_or_else(|| CompileError::syntax("lambda missing from scope analysis", e.span))?;
        let code_idx = self.compile_code(scope, Shape::of(params, e.span)?, e.span, |inner| {
            inner.expr(body)?;
            inner.op(Opcode::RETURN_VALUE);
            Ok(())
        })?;
        self.make_function(code_idx, scope, Some(params))
    }

    /// Evaluates the decorators (before the decorated definition, as CPython does), except
    /// MicroPython's compile-time ones; returns how many are on the stack.
    pub(super) fn decorators(&mut self, decorators: &[Expr]) -> Result<u32, CompileError> {
        let mut n = 0;
        for d in decorators.iter().filter(|d| !is_compile_time_decorator(d)) {
            self.expr(d)?;
            n += 1;
        }
        Ok(n)
    }

    /// Applies `n` decorators to the value on top of the stack, innermost (last written) first.
    pub(super) fn apply_decorators(&mut self, n: u32) {
        for _ in 0..n {
            self.op1(Opcode::CALL, 1);
        }
    }

    /// Compiles a nested code object for `scope` into a reserved slot and returns its index.
    /// `body` emits the code after the cell parameters have been copied into their cells.
    pub(super) fn compile_code(
        &mut self,
        scope: &'a Scope,
        shape: Shape,
        span: Span,
        body: impl for<'x> FnOnce(&mut FnCompiler<'a, 'x>) -> Result<(), CompileError>,
    ) -> Result<u32, CompileError> {
        limit_u16(scope.locals.len(), "local variables", span)?;
        limit_u16(
            scope.cellvars.len() + scope.freevars.len(),
            "closure variables",
            span,
        )?;
        let code_idx = self.unit.reserve_code();
        let name = self.unit.name(&scope.name);
        let local_names = scope.locals.iter().map(|l| self.unit.name(l)).collect();
        let cellvars = scope.cellvars.iter().map(|l| self.unit.name(l)).collect();
        let freevars = scope.freevars.iter().map(|l| self.unit.name(l)).collect();
        let mut flags = 0;
        for (on, flag) in [
            (shape.varargs, CODE_VARARGS),
            (shape.varkeywords, CODE_VARKEYWORDS),
            (scope.is_generator, CODE_GENERATOR),
            (scope.is_coroutine, CODE_COROUTINE),
            (scope.kind == ScopeKind::Class, CODE_CLASS_BODY),
        ] {
            if on {
                flags |= flag;
            }
        }
        let mut inner = FnCompiler::new(&mut *self.unit, scope);
        inner.set_line(span);
        for (slot, param) in (0u32..).zip(scope.locals.iter().take(shape.slots())) {
            if scope.binding(param) == Binding::Cell
                && let Some(cell) = scope.deref_idx(param)
            {
                inner.op1(Opcode::LOAD_FAST, slot);
                inner.op1(Opcode::STORE_DEREF, cell);
            }
        }
        body(&mut inner)?;
        let assembled = inner.assemble(span)?;
        if let Some(slot) = self.unit.code.get_mut(code_idx as usize) {
            *slot = Some(CodeData {
                name,
                flags,
                n_params: shape.n_params,
                n_kwonly: shape.n_kwonly,
                local_names,
                cellvars,
                freevars,
                assembled,
            });
        }
        Ok(code_idx)
    }

    /// Pushes the defaults, keyword-only defaults and closure the code needs, then
    /// MAKE_FUNCTION.
    pub(super) fn make_function(
        &mut self,
        code_idx: u32,
        scope: &Scope,
        params: Option<&Parameters>,
    ) -> Result<(), CompileError> {
        let mut flags = 0;
        if let Some(params) = params {
            let defaults: Vec<&Expr> = params
                .args
                .iter()
                .filter_map(|p| p.default.as_ref())
                .collect();
            if !defaults.is_empty() {
                let constants: Option<Vec<Constant>> =
                    defaults.iter().map(|d| d.as_constant().cloned()).collect();
                match constants {
                    Some(items) => self.load_const_idx(&Constant::Tuple(items)),
                    None => {
                        defaults.iter().try_for_each(|d| self.expr(d))?;
                        self.op1(Opcode::BUILD_TUPLE, defaults.len() as u32);
                    }
                }
                flags |= 1;
            }
            let mut n_kw = 0;
            for p in &params.kwonly {
                if let Some(d) = &p.default {
                    self.load_const(&Constant::Str(p.name.name.clone()));
                    self.expr(d)?;
                    n_kw += 1;
                }
            }
            if n_kw > 0 {
                self.op1(Opcode::BUILD_MAP, n_kw);
                flags |= 2;
            }
        }
        if self.closure(scope)? {
            flags |= 4;
        }
        self.code
            .emit(Opcode::MAKE_FUNCTION, Args::Two(code_idx, flags));
        Ok(())
    }

    /// Pushes the tuple of cells for `scope`'s free variables; false when it has none.
    pub(super) fn closure(&mut self, scope: &Scope) -> Result<bool, CompileError> {
        if scope.freevars.is_empty() {
            return Ok(false);
        }
        for name in &scope.freevars {
            let idx = self.scope.deref_idx(name).ok_or_else(|| {
                CompileError::syntax(
                    format!("free variable '{name}' missing from the enclosing scope"),
                    Span::default(),
                )
            })?;
            self.op1(Opcode::LOAD_CLOSURE, idx);
        }
        self.op1(Opcode::BUILD_TUPLE, scope.freevars.len() as u32);
        Ok(true)
    }

    /// `yield value`: hands the value out and pushes what is sent back.
    pub(super) fn yield_(&mut self, value: Option<&Expr>) -> Result<(), CompileError> {
        match value {
            Some(v) => self.expr(v)?,
            None => self.op(Opcode::LOAD_NONE),
        }
        self.op(Opcode::YIELD_VALUE);
        Ok(())
    }

    /// `yield from iterable`: delegates until it finishes; pushes its return value.
    pub(super) fn yield_from(&mut self, value: &Expr) -> Result<(), CompileError> {
        self.expr(value)?;
        self.op(Opcode::GET_YIELD_FROM_ITER);
        self.op(Opcode::LOAD_NONE);
        self.op(Opcode::YIELD_FROM);
        Ok(())
    }

    /// `await awaitable`: as `yield from` over the awaitable's iterator.
    pub(super) fn await_(&mut self, value: &Expr) -> Result<(), CompileError> {
        self.expr(value)?;
        self.op(Opcode::GET_AWAITABLE);
        self.op(Opcode::LOAD_NONE);
        self.op(Opcode::YIELD_FROM);
        Ok(())
    }

    /// `target := value`: binds and leaves the value (scope analysis decided where the
    /// target lives, e.g. the enclosing function for a walrus in a comprehension).
    pub(super) fn named_expr(&mut self, target: &Expr, value: &Expr) -> Result<(), CompileError> {
        self.expr(value)?;
        self.op(Opcode::DUP_TOP);
        self.store(target)
    }
}

/// `@micropython.native`, `@micropython.viper` and `@micropython.bytecode` choose an emitter
/// at compile time in MicroPython; frost compiles every function to bytecode, so they vanish.
fn is_compile_time_decorator(d: &Expr) -> bool {
    let ExprKind::Attribute { value, attr } = &d.kind else {
        return false;
    };
    matches!(&value.kind, ExprKind::Name(m) if m == "micropython")
        && matches!(attr.name.as_str(), "native" | "viper" | "bytecode")
}
