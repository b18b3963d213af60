//! Statements. In: a folded block. Out: its instructions: assignments, `if`/`while`/`for`
//! (`for x in range(..)` as GET_RANGE/FOR_RANGE), function definitions (a new code object and
//! MAKE_FUNCTION), imports, `assert`, `raise`. try/except/finally and early exits: `try_`.

use frost_runtime::image::verify::MAX_IMPORT_LEVEL;
use frost_runtime::image::{Args, Opcode};

use crate::ast::{Alias, Constant, Expr, ExprKind, Ident, Span, Stmt, StmtKind};
use crate::diag::CompileError;

use super::{Block, FnCompiler};

impl<'a> FnCompiler<'a, '_> {
    /// Compiles the statements of a block in order.
    pub(super) fn block(&mut self, body: &'a [Stmt]) -> Result<(), CompileError> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// An `eval` body: the expression statement's value stays on the stack for the return.
    pub(super) fn eval_body(&mut self, stmt: &'a Stmt) -> Result<(), CompileError> {
        self.set_line(stmt.span);
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e),
            _ => Err(CompileError::syntax("invalid syntax", stmt.span)),
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) -> Result<(), CompileError> {
        use Opcode::*;
        self.set_line(stmt.span);
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.op(POP_TOP);
            }
            StmtKind::Assign { targets, value } => {
                self.expr(value)?;
                let (last, rest) = targets
                    .split_last()
                    .ok_or_else(|| CompileError::syntax("invalid syntax", stmt.span))?;
                for t in rest {
                    self.op(DUP_TOP);
                    self.store(t)?;
                }
                self.store(last)?;
            }
            StmtKind::AugAssign { target, op, value } => {
                self.aug_assign(target, *op as u32, value)?
            }
            StmtKind::AnnAssign {
                target,
                value: Some(value),
                ..
            } => {
                self.expr(value)?;
                self.store(target)?;
            }
            StmtKind::AnnAssign {
                target,
                value: None,
                ..
            } => self.annotated_target(target)?,
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::ClassDef(def) => self.class_def(def, stmt.span)?,
            StmtKind::With {
                is_async,
                items,
                body,
            } => self.with_(items, body, *is_async)?,
            StmtKind::FunctionDef(def) => self.function_def(def, stmt.span)?,
            StmtKind::Return(value) => self.return_(value.as_ref())?,
            StmtKind::If { test, body, orelse } => self.if_(test, body, orelse)?,
            StmtKind::While { test, body, orelse } => self.while_(test, body, orelse)?,
            StmtKind::For {
                is_async: true,
                target,
                iter,
                body,
                orelse,
            } => self.async_for(target, iter, body, orelse)?,
            StmtKind::For {
                is_async: false,
                target,
                iter,
                body,
                orelse,
            } => self.for_(target, iter, body, orelse)?,
            StmtKind::Break => self.break_(stmt.span)?,
            StmtKind::Continue => self.continue_(stmt.span)?,
            StmtKind::Delete(targets) => targets.iter().try_for_each(|t| self.delete(t))?,
            StmtKind::Assert { test, msg } => {
                let end = self.code.new_label();
                self.jump_if(test, true, end)?;
                self.op(LOAD_ASSERTION_ERROR);
                if let Some(msg) = msg {
                    self.expr(msg)?;
                    self.op1(CALL, 1);
                }
                self.op1(RAISE, 1);
                self.code.place(end);
            }
            StmtKind::Raise { exc, cause } => {
                let form = match (exc, cause) {
                    (None, _) => 0,
                    (Some(exc), None) => {
                        self.expr(exc)?;
                        1
                    }
                    (Some(exc), Some(cause)) => {
                        self.expr(exc)?;
                        self.expr(cause)?;
                        2
                    }
                };
                self.op1(RAISE, form);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.try_(body, handlers, orelse, finalbody)?,
            StmtKind::Import(aliases) => aliases.iter().try_for_each(|a| self.import(a))?,
            StmtKind::ImportFrom {
                module,
                names,
                level,
            } => self.import_from(module.as_ref(), names, *level, stmt.span)?,
        }
        Ok(())
    }

    fn aug_assign(&mut self, target: &Expr, op: u32, value: &Expr) -> Result<(), CompileError> {
        use Opcode::*;
        match &target.kind {
            ExprKind::Name(name) => {
                self.load_name(name);
                self.expr(value)?;
                self.op1(INPLACE_OP, op);
                self.store_name(name);
            }
            ExprKind::Attribute { value: obj, attr } => {
                let idx = self.unit.name(&attr.name);
                self.expr(obj)?;
                self.op(DUP_TOP);
                self.op1(LOAD_ATTR, idx);
                self.expr(value)?;
                self.op1(INPLACE_OP, op);
                self.op(ROT_TWO);
                self.op1(STORE_ATTR, idx);
            }
            ExprKind::Subscript { value: obj, index } => {
                self.expr(obj)?;
                self.expr(index)?;
                self.op(DUP_TOP_TWO);
                self.op(BINARY_SUBSCR);
                self.expr(value)?;
                self.op1(INPLACE_OP, op);
                self.op(ROT_THREE);
                self.op(STORE_SUBSCR);
            }
            _ => {
                return Err(CompileError::syntax(
                    "illegal expression for augmented assignment",
                    target.span,
                ));
            }
        }
        Ok(())
    }

    fn if_(
        &mut self,
        test: &Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> Result<(), CompileError> {
        if let Some(c) = test.as_constant() {
            return self.block(if c.is_truthy() { body } else { orelse });
        }
        let (otherwise, end) = (self.code.new_label(), self.code.new_label());
        self.jump_if(test, false, otherwise)?;
        self.block(body)?;
        if !orelse.is_empty() {
            self.code.jump(Opcode::JUMP, end);
        }
        self.code.place(otherwise);
        self.block(orelse)?;
        self.code.place(end);
        Ok(())
    }

    fn while_(
        &mut self,
        test: &Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> Result<(), CompileError> {
        let (top, otherwise, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        if test.as_constant().is_some_and(|c| !c.is_truthy()) {
            return self.block(orelse);
        }
        self.code.place(top);
        self.jump_if(test, false, otherwise)?;
        self.loop_body(body, end, top, 0)?;
        self.code.jump(Opcode::JUMP, top);
        self.code.place(otherwise);
        self.block(orelse)?;
        self.code.place(end);
        Ok(())
    }

    fn for_(
        &mut self,
        target: &Expr,
        iter: &Expr,
        body: &'a [Stmt],
        orelse: &'a [Stmt],
    ) -> Result<(), CompileError> {
        let (top, exhausted, end) = (
            self.code.new_label(),
            self.code.new_label(),
            self.code.new_label(),
        );
        let (next, slots) = match range_args(iter) {
            Some(args) => {
                args.iter().try_for_each(|a| self.expr(a))?;
                self.op1(Opcode::GET_RANGE, args.len() as u32);
                (Opcode::FOR_RANGE, 3)
            }
            None => {
                self.expr(iter)?;
                self.op(Opcode::GET_ITER);
                (Opcode::FOR_ITER, 2)
            }
        };
        self.code.place(top);
        self.code.jump(next, exhausted);
        self.store(target)?;
        self.loop_body(body, end, top, slots)?;
        self.code.jump(Opcode::JUMP, top);
        self.code.place(exhausted);
        self.block(orelse)?;
        self.code.place(end);
        Ok(())
    }

    pub(super) fn loop_body(
        &mut self,
        body: &'a [Stmt],
        break_label: super::Label,
        continue_label: super::Label,
        slots: u32,
    ) -> Result<(), CompileError> {
        let handler_level = self.code.handler_level();
        self.blocks.push(Block::Loop {
            break_label,
            continue_label,
            slots,
            handler_level,
        });
        let result = self.block(body);
        self.blocks.pop();
        result
    }

    /// `import a.b.c` binds `a`; `import a.b.c as d` binds the module `a.b.c`.
    fn import(&mut self, alias: &Alias) -> Result<(), CompileError> {
        use Opcode::*;
        let full = self.unit.name(&alias.name.name);
        self.op(LOAD_NONE);
        self.code.emit(IMPORT_NAME, Args::Two(full, 0));
        let mut parts = alias.name.name.split('.');
        let top = parts.next().unwrap_or_default();
        match &alias.asname {
            Some(asname) => {
                for part in parts {
                    let idx = self.unit.name(part);
                    self.op1(LOAD_ATTR, idx);
                }
                self.store_name(&asname.name);
            }
            None => self.store_name(top),
        }
        Ok(())
    }

    fn import_from(
        &mut self,
        module: Option<&Ident>,
        names: &[Alias],
        level: u32,
        span: Span,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        if names.iter().any(|a| a.name.name == "*") {
            return self.import_star(module, level, span);
        }
        let fromlist = Constant::Tuple(
            names
                .iter()
                .map(|a| Constant::Str(a.name.name.clone()))
                .collect(),
        );
        self.load_const(&fromlist);
        if level > MAX_IMPORT_LEVEL {
            return Err(CompileError::syntax(
                "too many leading dots in import",
                span,
            ));
        }
        let module_idx = self.unit.name(module.map_or("", |m| m.name.as_str()));
        self.code.emit(IMPORT_NAME, Args::Two(module_idx, level));
        for alias in names {
            let idx = self.unit.name(&alias.name.name);
            self.op1(IMPORT_FROM, idx);
            self.store_name(&alias.asname.as_ref().unwrap_or(&alias.name).name);
        }
        self.op(POP_TOP);
        Ok(())
    }
}

/// The arguments of `range(..)` when a `for` can iterate it without a range object: the bare
/// name `range`, one to three positional arguments, no keywords.
pub(super) fn range_args(iter: &Expr) -> Option<&[Expr]> {
    let ExprKind::Call {
        func,
        args,
        keywords,
    } = &iter.kind
    else {
        return None;
    };
    let is_range = matches!(&func.kind, ExprKind::Name(n) if n == "range");
    (is_range && keywords.is_empty() && (1..=3).contains(&args.len())).then_some(args.as_slice())
}
