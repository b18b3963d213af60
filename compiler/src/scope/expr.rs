//! The scope walk over expressions. In: an expression inside the block being visited. Out:
//! the flags of the names it reads and binds; new blocks for lambdas and comprehensions (the
//! outermost iterable stays in the enclosing block); the walrus rules of comprehensions; the
//! errors of misplaced `yield` and `await`.

use crate::ast::{Comprehension, Expr, ExprKind, Keyword, Span};
use crate::diag::CompileError;

use super::ScopeKind;
use super::node_key;
use super::visit::{
    DEF_COMP_ITER, DEF_GLOBAL, DEF_LOCAL, DEF_NONLOCAL, DEF_PARAM, USE, Visitor, error,
};

impl Visitor {
    pub(super) fn keywords(&mut self, keywords: &[Keyword]) -> Result<(), CompileError> {
        keywords.iter().try_for_each(|k| self.expr(&k.value))
    }

    /// A binding target: names get DEF_LOCAL; attributes and subscripts are evaluated.
    pub(super) fn target(&mut self, target: &Expr) -> Result<(), CompileError> {
        match &target.kind {
            ExprKind::Name(name) => self.add(name, DEF_LOCAL, target.span),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|i| self.target(i))
            }
            ExprKind::Starred(inner) => self.target(inner),
            _ => self.expr(target),
        }
    }

    pub(super) fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        match &e.kind {
            ExprKind::Name(name) => self.add(name, USE, e.span)?,
            ExprKind::Constant(_) => {}
            ExprKind::BoolOp { values: items, .. }
            | ExprKind::Tuple(items)
            | ExprKind::List(items)
            | ExprKind::Set(items)
            | ExprKind::JoinedStr(items) => items.iter().try_for_each(|i| self.expr(i))?,
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left)?;
                self.expr(right)?;
            }
            ExprKind::UnaryOp { operand: inner, .. }
            | ExprKind::Starred(inner)
            | ExprKind::Attribute { value: inner, .. } => self.expr(inner)?,
            ExprKind::Compare {
                left, comparators, ..
            } => {
                self.expr(left)?;
                comparators.iter().try_for_each(|c| self.expr(c))?;
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.expr(func)?;
                args.iter().try_for_each(|a| self.expr(a))?;
                self.keywords(keywords)?;
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
            }
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
            }
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part)?;
                }
            }
            ExprKind::FormattedValue {
                value, format_spec, ..
            } => {
                self.expr(value)?;
                if let Some(spec) = format_spec {
                    self.expr(spec)?;
                }
            }
            ExprKind::Lambda { params, body } => {
                self.defaults(params)?;
                self.enter(ScopeKind::Function, "<lambda>", node_key(e));
                self.params(params)?;
                self.expr(body)?;
                self.exit()?;
            }
            ExprKind::NamedExpr { target, value } => self.named_expr(target, value)?,
            ExprKind::ListComp { elt, generators } => {
                self.comprehension(e, "<listcomp>", "list comprehension", generators, elt, None)?
            }
            ExprKind::SetComp { elt, generators } => {
                self.comprehension(e, "<setcomp>", "set comprehension", generators, elt, None)?
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => self.comprehension(
                e,
                "<dictcomp>",
                "dict comprehension",
                generators,
                key,
                Some(value),
            )?,
            ExprKind::GeneratorExp { elt, generators } => self.comprehension(
                e,
                "<genexpr>",
                "generator expression",
                generators,
                elt,
                None,
            )?,
            ExprKind::Yield(value) => {
                self.yield_(e.span, false)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            ExprKind::YieldFrom(value) => {
                self.yield_(e.span, true)?;
                self.expr(value)?;
            }
            ExprKind::Await(value) => {
                let b = self.cur_ref();
                if b.kind != ScopeKind::Function {
                    return Err(error("'await' outside function", e.span));
                }
                if !b.is_async_def && b.comprehension.is_none() {
                    return Err(error("'await' outside async function", e.span));
                }
                self.expr(value)?;
                self.cur().is_coroutine = true;
            }
        }
        Ok(())
    }

    fn yield_(&mut self, span: Span, from: bool) -> Result<(), CompileError> {
        let b = self.cur_ref();
        if let Some(what) = b.comprehension {
            return Err(error(format!("'yield' inside {what}"), span));
        }
        if b.kind != ScopeKind::Function {
            return Err(error("'yield' outside function", span));
        }
        if from && b.is_async_def {
            return Err(error("'yield from' inside async function", span));
        }
        self.cur().is_generator = true;
        Ok(())
    }

    /// `target := value`; inside a comprehension the target binds in the nearest enclosing
    /// function (or module) scope (symtable_extend_namedexpr_scope).
    fn named_expr(&mut self, target: &Expr, value: &Expr) -> Result<(), CompileError> {
        if self.cur_ref().comp_iter_expr > 0 {
            return Err(error(
                "assignment expression cannot be used in a comprehension iterable expression",
                target.span.to(value.span),
            ));
        }
        if let (Some(_), ExprKind::Name(name)) = (self.cur_ref().comprehension, &target.kind) {
            self.extend_named_expr_scope(name, target.span)?;
        }
        self.expr(value)?;
        self.target(target)
    }

    fn extend_named_expr_scope(&mut self, name: &str, span: Span) -> Result<(), CompileError> {
        for i in (0..self.stack.len()).rev() {
            let Some(&idx) = self.stack.get(i) else {
                continue;
            };
            let Some(block) = self.blocks.get(idx) else {
                continue;
            };
            if block.comprehension.is_some() {
                if block.flag(name) & DEF_COMP_ITER != 0 {
                    return Err(error(
                        format!(
                            "assignment expression cannot rebind comprehension iteration variable '{name}'"
                        ),
                        span,
                    ));
                }
                continue;
            }
            match block.kind {
                ScopeKind::Function => {
                    let flag = if block.flag(name) & DEF_GLOBAL != 0 {
                        DEF_GLOBAL
                    } else {
                        DEF_NONLOCAL
                    };
                    self.add(name, flag, span)?;
                    self.directive(name, span);
                    return self.add_to(idx, name, DEF_LOCAL, span);
                }
                ScopeKind::Module => {
                    self.add(name, DEF_GLOBAL, span)?;
                    self.directive(name, span);
                    return self.add_to(idx, name, DEF_GLOBAL, span);
                }
                ScopeKind::Class => {
                    return Err(error(
                        "assignment expression within a comprehension cannot be used in a class body",
                        span,
                    ));
                }
            }
        }
        Ok(())
    }

    /// A comprehension: the outermost iterable in the current scope, the rest in a new
    /// function scope whose only parameter `.0` receives that iterable.
    fn comprehension(
        &mut self,
        e: &Expr,
        name: &str,
        what: &'static str,
        generators: &[Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> Result<(), CompileError> {
        let Some((first, rest)) = generators.split_first() else {
            return Err(error("invalid syntax", e.span));
        };
        self.cur().comp_iter_expr += 1;
        let outer = self.expr(&first.iter);
        self.cur().comp_iter_expr -= 1;
        outer?;
        let is_genexp = name == "<genexpr>";
        self.enter(ScopeKind::Function, name, node_key(e));
        self.cur().comprehension = Some(what);
        self.cur().is_coroutine = first.is_async;
        self.add(".0", DEF_PARAM, first.iter.span)?;
        self.iteration_target(&first.target)?;
        first.ifs.iter().try_for_each(|c| self.expr(c))?;
        for g in rest {
            self.iteration_target(&g.target)?;
            self.cur().comp_iter_expr += 1;
            let iter = self.expr(&g.iter);
            self.cur().comp_iter_expr -= 1;
            iter?;
            g.ifs.iter().try_for_each(|c| self.expr(c))?;
            if g.is_async {
                self.cur().is_coroutine = true;
            }
        }
        if let Some(v) = value {
            self.expr(v)?;
        }
        self.expr(elt)?;
        self.cur().is_generator = is_genexp;
        let is_async = self.cur_ref().is_coroutine && !is_genexp;
        self.exit()?;
        if is_async {
            let parent = self.cur_ref();
            let allowed = parent.comprehension.is_some() || parent.is_async_def;
            if !allowed {
                return Err(error(
                    "asynchronous comprehension outside of an asynchronous function",
                    e.span,
                ));
            }
            self.cur().is_coroutine = true;
        }
        Ok(())
    }

    fn iteration_target(&mut self, target: &Expr) -> Result<(), CompileError> {
        self.cur().comp_iter_target = true;
        let result = self.target(target);
        self.cur().comp_iter_target = false;
        result
    }
}
