//! Statement folding. In: a block of statements in source order. Out: the folded block: const()
//! definitions handled (`consts`), `if`/`elif`/`while` on a constant reduced to the branch that
//! runs (dead branches are still folded, so their consts enter the table, spec §2.3), statements
//! that are only a constant (docstrings too) dropped, and `assert` dropped at -O1+.

use crate::ast::{Constant, ExprKind, Stmt, StmtKind};
use crate::diag::CompileError;

use super::Folder;
use super::consts::TargetCtx;

impl Folder<'_> {
    /// Folds a block, in order (the const table grows as it goes).
    pub(crate) fn block(&mut self, body: Vec<Stmt>) -> Result<Vec<Stmt>, CompileError> {
        let mut out = Vec::with_capacity(body.len());
        for stmt in body {
            out.extend(self.stmt(stmt)?);
        }
        Ok(out)
    }

    /// Folds one statement into the statements that replace it (none, itself, or a branch).
    fn stmt(&mut self, stmt: Stmt) -> Result<Vec<Stmt>, CompileError> {
        let stmt = match self.const_definition(stmt)? {
            Ok(replacement) => return Ok(replacement),
            Err(stmt) => stmt,
        };
        let Stmt { kind, span } = stmt;
        let kind = match kind {
            StmtKind::Expr(mut e) => {
                self.expr(&mut e)?;
                if e.as_constant().is_some() {
                    return Ok(Vec::new());
                }
                StmtKind::Expr(e)
            }
            StmtKind::Assign {
                mut targets,
                mut value,
            } => {
                self.expr(&mut value)?;
                for t in targets.iter_mut() {
                    self.target(t, TargetCtx::Assign)?;
                }
                if matches!(&value.kind, ExprKind::Name(n) if n == "const") {
                    for t in &targets {
                        if let ExprKind::Name(alias) = &t.kind {
                            self.note_alias(alias);
                        }
                    }
                }
                StmtKind::Assign { targets, value }
            }
            StmtKind::AugAssign {
                mut target,
                op,
                mut value,
            } => {
                self.expr(&mut value)?;
                self.target(&mut target, TargetCtx::Assign)?;
                StmtKind::AugAssign { target, op, value }
            }
            StmtKind::AnnAssign {
                mut target,
                mut annotation,
                mut value,
            } => {
                if let Some(v) = value.as_mut() {
                    self.expr(v)?;
                }
                self.expr(&mut annotation)?;
                self.target(&mut target, TargetCtx::Assign)?;
                StmtKind::AnnAssign {
                    target,
                    annotation,
                    value,
                }
            }
            StmtKind::FunctionDef(mut def) => {
                def.decorators.iter_mut().try_for_each(|d| self.expr(d))?;
                self.binding_name(&def.name)?;
                self.parameters(&mut def.params)?;
                if let Some(r) = def.returns.as_mut() {
                    self.expr(r)?;
                }
                let body = core::mem::take(&mut def.body);
                def.body = self.block(body)?;
                StmtKind::FunctionDef(def)
            }
            StmtKind::ClassDef(mut class) => {
                class.decorators.iter_mut().try_for_each(|d| self.expr(d))?;
                self.binding_name(&class.name)?;
                class.bases.iter_mut().try_for_each(|b| self.expr(b))?;
                for kw in class.keywords.iter_mut() {
                    if let Some(arg) = &kw.arg {
                        self.keyword_name(arg)?;
                    }
                    self.expr(&mut kw.value)?;
                }
                // A const in a class body is a class attribute unless it starts with `_`, and
                // stays in the table after the class (spec §2.3, §2.5): `block` does both.
                let body = core::mem::take(&mut class.body);
                class.body = self.block(body)?;
                StmtKind::ClassDef(class)
            }
            StmtKind::With {
                is_async,
                mut items,
                body,
            } => {
                for item in items.iter_mut() {
                    self.expr(&mut item.context)?;
                    if let Some(t) = item.target.as_mut() {
                        self.target(t, TargetCtx::Assign)?;
                    }
                }
                let body = self.block(body)?;
                StmtKind::With {
                    is_async,
                    items,
                    body,
                }
            }
            StmtKind::Return(mut value) => {
                if let Some(v) = value.as_mut() {
                    self.expr(v)?;
                }
                StmtKind::Return(value)
            }
            StmtKind::If {
                mut test,
                body,
                orelse,
            } => {
                self.expr(&mut test)?;
                let body = self.block(body)?;
                let orelse = self.block(orelse)?;
                match test.as_constant() {
                    Some(c) if c.is_truthy() => return Ok(body),
                    Some(_) => return Ok(orelse),
                    None => StmtKind::If { test, body, orelse },
                }
            }
            StmtKind::While {
                mut test,
                body,
                orelse,
            } => {
                self.expr(&mut test)?;
                let body = self.block(body)?;
                let orelse = self.block(orelse)?;
                match test.as_constant() {
                    // `while False:` runs only its else block.
                    Some(c) if !c.is_truthy() => return Ok(orelse),
                    Some(_) => test.kind = ExprKind::Constant(Constant::True),
                    None => {}
                }
                StmtKind::While { test, body, orelse }
            }
            StmtKind::For {
                is_async,
                mut target,
                mut iter,
                body,
                orelse,
            } => {
                self.expr(&mut iter)?;
                self.target(&mut target, TargetCtx::Assign)?;
                let body = self.block(body)?;
                let orelse = self.block(orelse)?;
                StmtKind::For {
                    is_async,
                    target,
                    iter,
                    body,
                    orelse,
                }
            }
            StmtKind::Delete(mut targets) => {
                for t in targets.iter_mut() {
                    self.target(t, TargetCtx::Delete)?;
                }
                StmtKind::Delete(targets)
            }
            StmtKind::Assert { mut test, mut msg } => {
                if self.opt_level >= 1 {
                    return Ok(Vec::new());
                }
                self.expr(&mut test)?;
                if let Some(m) = msg.as_mut() {
                    self.expr(m)?;
                }
                StmtKind::Assert { test, msg }
            }
            StmtKind::Raise { mut exc, mut cause } => {
                if let Some(e) = exc.as_mut() {
                    self.expr(e)?;
                }
                if let Some(c) = cause.as_mut() {
                    self.expr(c)?;
                }
                StmtKind::Raise { exc, cause }
            }
            StmtKind::Try {
                body,
                mut handlers,
                orelse,
                finalbody,
            } => {
                let body = self.block(body)?;
                for h in handlers.iter_mut() {
                    if let Some(t) = h.type_.as_mut() {
                        self.expr(t)?;
                    }
                    if let Some(name) = &h.name {
                        self.binding_name(name)?;
                    }
                    let hbody = core::mem::take(&mut h.body);
                    h.body = self.block(hbody)?;
                }
                let orelse = self.block(orelse)?;
                let finalbody = self.block(finalbody)?;
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody,
                }
            }
            StmtKind::ImportFrom {
                module,
                names,
                level,
            } => {
                if level == 0 && module.as_ref().is_some_and(|m| m.name == "micropython") {
                    for alias in &names {
                        if let (true, Some(asname)) = (alias.name.name == "const", &alias.asname) {
                            self.note_alias(&asname.name);
                        }
                    }
                }
                StmtKind::ImportFrom {
                    module,
                    names,
                    level,
                }
            }
            // Names in `global`/`nonlocal` and import names are not substituted (spec §2.4).
            kind @ (StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Global(_)
            | StmtKind::Nonlocal(_)
            | StmtKind::Import(_)) => kind,
        };
        Ok(vec![Stmt { kind, span }])
    }
}
