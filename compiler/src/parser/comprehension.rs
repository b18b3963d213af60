//! Comprehension clauses. In: the token stream at a comprehension's first `for`. Out: its
//! `Comprehension`s, and CPython's compile-phase checks on them, deferred like other errors of
//! that phase: `yield` inside, `:=` in an iterable or rebinding an iteration variable, and
//! `async for` or `await` outside `async def` (legal in a generator expression).

use super::Parser;
use super::walk::find;
use crate::ast::{Comprehension, Expr, ExprKind, Span};
use crate::diag::CompileError;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `('async'? 'for' exprlist 'in' or_test ('if' or_test)*)+`
    pub(super) fn comp_for(&mut self) -> PResult<Vec<Comprehension>> {
        let mut generators = Vec::new();
        while self.at_comprehension() {
            let is_async = self.eat_kw("async").is_some();
            self.advance();
            let target = self.exprlist()?;
            self.target(&target, "assign to")?;
            if self.eat_kw("in").is_none() {
                return Err(self.unexpected());
            }
            self.enter()?;
            let iter = self.or_test()?;
            let mut ifs = Vec::new();
            while self.eat_kw("if").is_some() {
                ifs.push(self.or_test()?);
            }
            self.leave();
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                is_async,
            });
        }
        Ok(generators)
    }

    /// CPython's compile-phase checks of a comprehension; `what` names it for messages.
    pub(super) fn check_comprehension(
        &mut self,
        elts: &[&Expr],
        generators: &[Comprehension],
        what: &str,
    ) {
        let is_walrus = |e: &Expr| matches!(e.kind, ExprKind::NamedExpr { .. });
        for g in generators {
            if let Some(w) = find(&g.iter, &is_walrus) {
                self.defer(CompileError::syntax(
                    "assignment expression cannot be used in a comprehension iterable expression",
                    w.span,
                ));
            }
        }
        self.check_rebinding(elts, generators);
        // What runs in the comprehension's own scope: the first iterable is evaluated outside.
        let inner: Vec<&Expr> = elts
            .iter()
            .copied()
            .chain(
                generators
                    .iter()
                    .enumerate()
                    .flat_map(|(i, g)| (i > 0).then_some(&g.iter).into_iter().chain(&g.ifs)),
            )
            .collect();
        let is_yield = |e: &Expr| matches!(e.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_));
        if let Some(y) = inner.iter().find_map(|e| find(e, &is_yield)) {
            // CPython finds this before "'yield' outside function" for the same yield.
            self.forget_deferred_at(y.span);
            self.defer(CompileError::syntax(
                format!("'yield' inside {what}"),
                y.span,
            ));
        }
        let is_await = |e: &Expr| matches!(e.kind, ExprKind::Await(_));
        let awaited = inner.iter().find_map(|e| find(e, &is_await));
        let is_async = awaited.is_some() || generators.iter().any(|g| g.is_async);
        if !is_async || self.in_async {
            return;
        }
        // An `await` here makes the comprehension asynchronous rather than misplaced.
        if let Some(a) = awaited {
            self.forget_deferred_at(a.span);
        }
        if what != "generator expression" {
            self.defer(CompileError::syntax(
                "asynchronous comprehension outside of an asynchronous function",
                elts.first().map_or(Span::default(), |e| e.span),
            ));
        }
    }

    /// `[i := 0 for i in x]`: a walrus may not bind a name the `for` clauses bind.
    fn check_rebinding(&mut self, elts: &[&Expr], generators: &[Comprehension]) {
        let mut bound = Vec::new();
        for g in generators {
            names_bound(&g.target, &mut bound);
        }
        let rebinds = |e: &Expr| {
            matches!(&e.kind, ExprKind::NamedExpr { target, .. }
                if matches!(&target.kind, ExprKind::Name(n) if bound.contains(&n.as_str())))
        };
        let rebound = elts
            .iter()
            .copied()
            .chain(generators.iter().flat_map(|g| &g.ifs))
            .find_map(|e| find(e, &rebinds));
        if let Some(ExprKind::NamedExpr { target, .. }) = rebound.map(|e| &e.kind)
            && let ExprKind::Name(name) = &target.kind
        {
            self.defer(CompileError::syntax(
                format!(
                    "assignment expression cannot rebind comprehension iteration variable '{name}'"
                ),
                target.span,
            ));
        }
    }

    /// Drops the deferred error if it was raised at `span`'s start (superseded by a better one).
    fn forget_deferred_at(&mut self, span: Span) {
        if self
            .deferred
            .as_ref()
            .is_some_and(|d| d.span.start == span.start)
        {
            self.deferred = None;
        }
    }
}

/// The names a comprehension's `for` target binds.
fn names_bound<'e>(target: &'e Expr, out: &mut Vec<&'e str>) {
    match &target.kind {
        ExprKind::Name(n) => out.push(n),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| names_bound(i, out));
        }
        ExprKind::Starred(inner) => names_bound(inner, out),
        _ => {}
    }
}
