//! Folding inside the complete language's expressions (spec §1, §2.4). In: a lambda,
//! comprehension, f-string, walrus, slice, set, starred item, yield or await. Out: the same
//! expression with const names substituted in every part that is read, the const-name target
//! errors for comprehension `for` targets and walrus targets, and sub-expressions folded. None
//! of these becomes a constant itself: each must run (an f-string formats at run time).

use crate::ast::{Comprehension, Expr, ExprKind, Parameters};
use crate::diag::CompileError;

use super::Folder;
use super::consts::TargetCtx;

impl Folder<'_> {
    /// Folds the parts of an expression of the complete language. Returns whether `e` was one
    /// of them (the caller folds the others).
    pub(crate) fn nested_expr(&mut self, e: &mut Expr) -> Result<bool, CompileError> {
        match &mut e.kind {
            ExprKind::Set(items) => items.iter_mut().try_for_each(|i| self.expr(i))?,
            ExprKind::Starred(value) => self.expr(value)?,
            ExprKind::Slice { lower, upper, step } => {
                for part in [lower, upper, step].into_iter().flatten() {
                    self.expr(part)?;
                }
            }
            ExprKind::Lambda { params, body } => {
                self.parameters(params)?;
                self.expr(body)?;
            }
            ExprKind::NamedExpr { target, value } => {
                self.expr(value)?;
                self.target(target, TargetCtx::Assign)?;
            }
            ExprKind::ListComp { elt, generators }
            | ExprKind::SetComp { elt, generators }
            | ExprKind::GeneratorExp { elt, generators } => {
                self.comprehensions(generators)?;
                self.expr(elt)?;
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                self.comprehensions(generators)?;
                self.expr(key)?;
                self.expr(value)?;
            }
            ExprKind::Yield(value) => {
                if let Some(v) = value.as_mut() {
                    self.expr(v)?;
                }
            }
            ExprKind::YieldFrom(value) | ExprKind::Await(value) => self.expr(value)?,
            ExprKind::JoinedStr(parts) => parts.iter_mut().try_for_each(|p| self.expr(p))?,
            ExprKind::FormattedValue {
                value, format_spec, ..
            } => {
                self.expr(value)?;
                if let Some(spec) = format_spec.as_mut() {
                    self.expr(spec)?;
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Parameters of a `def` or `lambda`: their names bind (never substituted, never
    /// `__debug__`), their defaults and annotations are read where the function is made.
    pub(crate) fn parameters(&mut self, params: &mut Parameters) -> Result<(), CompileError> {
        for p in params.iter_mut() {
            self.binding_name(&p.name)?;
            if let Some(d) = p.default.as_mut() {
                self.expr(d)?;
            }
            if let Some(a) = p.annotation.as_mut() {
                self.expr(a)?;
            }
        }
        Ok(())
    }

    /// The `for … in … if …` clauses of a comprehension: the iterable and conditions are read,
    /// the target binds like a `for` statement's.
    fn comprehensions(&mut self, generators: &mut [Comprehension]) -> Result<(), CompileError> {
        for g in generators {
            self.expr(&mut g.iter)?;
            self.target(&mut g.target, TargetCtx::Assign)?;
            g.ifs.iter_mut().try_for_each(|c| self.expr(c))?;
        }
        Ok(())
    }
}
