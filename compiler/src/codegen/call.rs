//! Calls. In: a call's callable, positional arguments (some maybe `*iterable`) and keywords
//! (some maybe `**mapping`). Out: CALL/CALL_KW, or CALL_METHOD/CALL_METHOD_KW for `obj.m(...)`
//! (LOAD_METHOD, no bound method), which the VM runs without building a tuple or dict; only
//! calls that unpack use CALL_EX, with the positional tuple built by BUILD_LIST/LIST_EXTEND/
//! LIST_APPEND/LIST_TO_TUPLE and the keywords dict by BUILD_MAP/DICT_MERGE.

use std::collections::BTreeSet;

use frost_runtime::image::{Args, Opcode};

use crate::ast::{Constant, Expr, ExprKind, Keyword, Span};
use crate::diag::CompileError;

use super::{FnCompiler, limit_u16};

impl FnCompiler<'_, '_> {
    /// `func(args, keywords)`.
    pub(super) fn call(
        &mut self,
        e: &Expr,
        func: &Expr,
        args: &[Expr],
        keywords: &[Keyword],
    ) -> Result<(), CompileError> {
        if needs_call_ex(args, keywords) {
            self.expr(func)?;
            return self.call_ex(0, args, keywords, e.span);
        }
        let method = match &func.kind {
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let idx = self.unit.name(&attr.name);
                self.op1(Opcode::LOAD_METHOD, idx);
                true
            }
            _ => {
                self.expr(func)?;
                false
            }
        };
        self.plain_call(0, method, args, keywords, e.span)
    }

    /// Calls the callable under `pushed` arguments already on the stack, adding `args` and
    /// `keywords`; none of them unpacks.
    pub(super) fn plain_call(
        &mut self,
        pushed: u32,
        method: bool,
        args: &[Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Result<(), CompileError> {
        args.iter().try_for_each(|a| self.expr(a))?;
        let n_args = u32::from(limit_u16(pushed as usize + args.len(), "arguments", span)?);
        if keywords.is_empty() {
            let op = if method {
                Opcode::CALL_METHOD
            } else {
                Opcode::CALL
            };
            self.op1(op, n_args);
            return Ok(());
        }
        check_repeated(keywords)?;
        let mut names = Vec::new();
        for kw in keywords {
            if let Some(arg) = &kw.arg {
                names.push(Constant::Str(arg.name.clone()));
                self.expr(&kw.value)?;
            }
        }
        let names_idx = self.unit.constant(&Constant::Tuple(names));
        let op = if method {
            Opcode::CALL_METHOD_KW
        } else {
            Opcode::CALL_KW
        };
        self.code
            .emit_kw(op, Args::Two(n_args, names_idx), keywords.len() as u32);
        Ok(())
    }

    /// A call that unpacks: the callable and `pushed` positional arguments are on the stack.
    pub(super) fn call_ex(
        &mut self,
        pushed: u32,
        args: &[Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Result<(), CompileError> {
        use Opcode::*;
        let first_star = args
            .iter()
            .position(|a| matches!(a.kind, ExprKind::Starred(_)));
        match first_star {
            None => {
                args.iter().try_for_each(|a| self.expr(a))?;
                let n = limit_u16(pushed as usize + args.len(), "arguments", span)?;
                self.op1(BUILD_TUPLE, u32::from(n));
            }
            Some(star) => {
                let (leading, rest) = args.split_at(star);
                leading.iter().try_for_each(|a| self.expr(a))?;
                let n = limit_u16(pushed as usize + leading.len(), "arguments", span)?;
                self.op1(BUILD_LIST, u32::from(n));
                for a in rest {
                    match &a.kind {
                        ExprKind::Starred(inner) => {
                            self.expr(inner)?;
                            self.op1(LIST_EXTEND, 1);
                        }
                        _ => {
                            self.expr(a)?;
                            self.op1(LIST_APPEND, 1);
                        }
                    }
                }
                self.op(LIST_TO_TUPLE);
            }
        }
        if keywords.is_empty() {
            self.op1(CALL_EX, 0);
            return Ok(());
        }
        check_repeated(keywords)?;
        // Named keywords are gathered in runs; each `**mapping` is merged in its place, so a
        // repeated name is found at run time in source order.
        let mut have_dict = false;
        let mut run = 0u32;
        for kw in keywords {
            match &kw.arg {
                Some(arg) => {
                    self.load_const(&Constant::Str(arg.name.clone()));
                    self.expr(&kw.value)?;
                    run += 1;
                }
                None => {
                    self.flush_keywords(&mut run, &mut have_dict);
                    if !have_dict {
                        self.op1(BUILD_MAP, 0);
                        have_dict = true;
                    }
                    self.expr(&kw.value)?;
                    self.op1(DICT_MERGE, 1);
                }
            }
        }
        self.flush_keywords(&mut run, &mut have_dict);
        self.op1(CALL_EX, 1);
        Ok(())
    }

    /// Turns the pending run of named keywords into a dict, merged into the one below if any.
    fn flush_keywords(&mut self, run: &mut u32, have_dict: &mut bool) {
        if *run == 0 {
            return;
        }
        self.op1(Opcode::BUILD_MAP, *run);
        if *have_dict {
            self.op1(Opcode::DICT_MERGE, 1);
        }
        *have_dict = true;
        *run = 0;
    }
}

/// Whether a call unpacks (`*iterable` or `**mapping`) and so needs CALL_EX.
pub(super) fn needs_call_ex(args: &[Expr], keywords: &[Keyword]) -> bool {
    args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)))
        || keywords.iter().any(|k| k.arg.is_none())
}

/// CPython refuses `f(a=1, a=2)` at compile time.
fn check_repeated(keywords: &[Keyword]) -> Result<(), CompileError> {
    let mut seen = BTreeSet::new();
    for arg in keywords.iter().filter_map(|k| k.arg.as_ref()) {
        if !seen.insert(arg.name.as_str()) {
            return Err(CompileError::syntax(
                format!("keyword argument repeated: {}", arg.name),
                arg.span,
            ));
        }
    }
    Ok(())
}
