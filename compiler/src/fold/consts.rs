//! const() and the const table (spec §2). In: statements and names met by the folder in source
//! order. Out: recognised `NAME = const(ARG)` statements turned into table entries (removed for
//! `_NAME`, else kept as `NAME = ARG`), names read in expression position replaced by their
//! value, and the SyntaxErrors for const names used as targets or keyword names.

use crate::ast::{Constant, Expr, ExprKind, Ident, Span, Stmt, StmtKind};
use crate::diag::{CompileError, Warning};

use super::Folder;

/// The name that is a compile-time constant at every level (spec §3).
pub(crate) const DEBUG_NAME: &str = "__debug__";

/// How a target is being bound, which picks the error message for a const name.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(crate) enum TargetCtx {
    Assign,
    Delete,
}

impl Folder<'_> {
    /// Handles `NAME = const(ARG)` and `NAME: T = const(ARG)`. `Ok(None)` when `stmt` is not such
    /// a definition (it is given back untouched); `Ok(Some(stmts))` with what replaces it.
    pub(crate) fn const_definition(
        &mut self,
        stmt: Stmt,
    ) -> Result<Result<Vec<Stmt>, Stmt>, CompileError> {
        let Some((name, name_span)) = recognise(&stmt.kind) else {
            return Ok(Err(stmt));
        };
        let Stmt { mut kind, span } = stmt;
        let value = match &mut kind {
            StmtKind::Assign { value, .. } => value,
            StmtKind::AnnAssign {
                value: Some(value), ..
            } => value,
            _ => return Ok(Err(Stmt { kind, span })),
        };
        let call_span = value.span;
        let ExprKind::Call { args, keywords, .. } = &mut value.kind else {
            return Ok(Err(Stmt { kind, span }));
        };
        let not_a_constant = || CompileError::syntax("not a constant", call_span);
        if args.len() != 1 || !keywords.is_empty() {
            return Err(not_a_constant());
        }
        let mut arg = args.remove(0);
        if self.trailing_comma(arg.span, call_span) {
            return Err(not_a_constant());
        }
        self.expr(&mut arg)?;
        let ExprKind::Constant(constant) = arg.kind else {
            return Err(not_a_constant());
        };
        self.check_target_name(&name, name_span, TargetCtx::Assign)?;
        self.consts.insert(name.clone(), constant.clone());
        if name.starts_with('_') {
            return Ok(Ok(Vec::new()));
        }
        *value = Expr::new(ExprKind::Constant(constant), call_span);
        Ok(Ok(vec![Stmt { kind, span }]))
    }

    /// The value of a const name, if `name` is one (or `__debug__`).
    pub(crate) fn lookup(&self, name: &str) -> Option<Constant> {
        if name == DEBUG_NAME {
            return Some(if self.opt_level == 0 {
                Constant::True
            } else {
                Constant::False
            });
        }
        self.consts.get(name).cloned()
    }

    /// Folds a binding target: const names and `__debug__` are errors, the expressions inside
    /// attribute and subscript targets are folded, tuples and lists recurse.
    pub(crate) fn target(&mut self, target: &mut Expr, ctx: TargetCtx) -> Result<(), CompileError> {
        match &mut target.kind {
            ExprKind::Name(name) => self.check_target_name(name, target.span, ctx),
            ExprKind::Attribute { value, attr } => {
                if attr.name == DEBUG_NAME {
                    return Err(debug_error(ctx, attr.span));
                }
                self.expr(value)
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter_mut().try_for_each(|item| self.target(item, ctx))
            }
            ExprKind::Starred(inner) => self.target(inner, ctx),
            // Not a valid target: the parser or codegen reports it; fold what is inside.
            _ => self.expr(target),
        }
    }

    /// A keyword argument's name may be neither a const nor `__debug__` (spec §2.4).
    pub(crate) fn keyword_name(&self, arg: &Ident) -> Result<(), CompileError> {
        if arg.name == DEBUG_NAME {
            return Err(CompileError::syntax("cannot assign to __debug__", arg.span));
        }
        if self.consts.contains_key(&arg.name) {
            return Err(CompileError::syntax(
                "LHS of keyword arg must be an id",
                arg.span,
            ));
        }
        Ok(())
    }

    /// A parameter or `def` name may not be `__debug__` (const names are allowed: they rebind
    /// at run time without changing substituted reads, spec §2.4).
    pub(crate) fn binding_name(&self, ident: &Ident) -> Result<(), CompileError> {
        if ident.name == DEBUG_NAME {
            return Err(CompileError::syntax(
                "cannot assign to __debug__",
                ident.span,
            ));
        }
        Ok(())
    }

    /// Records names bound to `const` itself under another name, and warns when they are
    /// called: such calls are run-time calls that users expect to fold (spec §2.1).
    pub(crate) fn note_alias(&mut self, alias: &str) {
        if alias != "const" {
            self.const_aliases.insert(alias.to_string());
        }
    }

    /// Warns for `micropython.const(...)` and calls through an alias of `const`.
    pub(crate) fn warn_unfolded_const(&mut self, func: &Expr, call_span: Span) {
        let message = match &func.kind {
            ExprKind::Attribute { value, attr }
                if attr.name == "const"
                    && matches!(&value.kind, ExprKind::Name(m) if m == "micropython") =>
            {
                "micropython.const(...) is not folded: it is an ordinary run-time call; \
                 write `from micropython import const` and call `const(...)`"
                    .to_string()
            }
            ExprKind::Name(name) if self.const_aliases.contains(name) => format!(
                "`{name}(...)` calls const through an alias and is not folded: \
                 only the bare name `const` is recognised"
            ),
            _ => return,
        };
        self.warnings.push(Warning {
            message,
            span: call_span,
        });
    }

    fn check_target_name(
        &self,
        name: &str,
        span: Span,
        ctx: TargetCtx,
    ) -> Result<(), CompileError> {
        if name == DEBUG_NAME {
            return Err(debug_error(ctx, span));
        }
        if self.consts.contains_key(name) {
            let message = match ctx {
                TargetCtx::Assign => "can't assign to expression",
                TargetCtx::Delete => "can't delete expression",
            };
            return Err(CompileError::syntax(message, span));
        }
        Ok(())
    }

    /// Whether a comma follows the only argument of a call (`const(1,)` is not a constant).
    fn trailing_comma(&self, arg: Span, call: Span) -> bool {
        let between = self
            .source
            .get(arg.end as usize..call.end as usize)
            .unwrap_or("");
        between
            .lines()
            .map(|line| line.split('#').next().unwrap_or(""))
            .any(|code| code.contains(','))
    }
}

fn debug_error(ctx: TargetCtx, span: Span) -> CompileError {
    match ctx {
        TargetCtx::Assign => CompileError::syntax("cannot assign to __debug__", span),
        TargetCtx::Delete => CompileError::syntax("cannot delete __debug__", span),
    }
}

/// `NAME = const(x)` or `NAME: T = const(x)`: one plain name target and a call of the bare name
/// `const` (any argument list; the caller checks it). Returns the name and its span.
fn recognise(kind: &StmtKind) -> Option<(String, Span)> {
    let (target, value) = match kind {
        StmtKind::Assign { targets, value } if targets.len() == 1 => (targets.first()?, value),
        StmtKind::AnnAssign {
            target,
            value: Some(value),
            ..
        } => (target, value),
        _ => return None,
    };
    let ExprKind::Name(name) = &target.kind else {
        return None;
    };
    let ExprKind::Call { func, .. } = &value.kind else {
        return None;
    };
    matches!(&func.kind, ExprKind::Name(f) if f == "const").then(|| (name.clone(), target.span))
}
