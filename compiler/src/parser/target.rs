//! Assignment-target checks. In: an expression parsed where a target goes (left of `=`, after
//! `for`, after `del`, left of `+=` or of an annotation). Out: nothing, or CPython's error naming
//! what cannot be assigned to (`cannot assign to literal`, `cannot delete function call`, ...).

use crate::ast::{Constant, Expr, ExprKind};
use crate::diag::CompileError;

/// Checks a target of `=`, `for` or `del`; `verb` is `"assign to"` or `"delete"`. Tuples and
/// lists are checked item by item.
pub fn check_target(e: &Expr, verb: &str) -> Result<(), CompileError> {
    match &e.kind {
        ExprKind::Name(name) if name == "__debug__" => Err(CompileError::syntax(
            format!("cannot {verb} __debug__"),
            e.span,
        )),
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().try_for_each(|item| check_target(item, verb))
        }
        _ => Err(CompileError::syntax(
            format!("cannot {verb} {}", describe(e)),
            e.span,
        )),
    }
}

/// Checks the target of an augmented assignment: a single name, attribute or subscript.
pub fn check_aug_target(e: &Expr) -> Result<(), CompileError> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
            check_target(e, "assign to")
        }
        _ => Err(CompileError::syntax(
            format!(
                "'{}' is an illegal expression for augmented assignment",
                describe(e)
            ),
            e.span,
        )),
    }
}

/// Checks the target of an annotated assignment: a single name, attribute or subscript.
pub fn check_ann_target(e: &Expr) -> Result<(), CompileError> {
    let message = match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
            return check_target(e, "assign to");
        }
        ExprKind::Tuple(_) => "only single target (not tuple) can be annotated",
        ExprKind::List(_) => "only single target (not list) can be annotated",
        _ => "illegal target for annotation",
    };
    Err(CompileError::syntax(message, e.span))
}

/// CPython's name for what an expression is, in target errors.
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Constant(Constant::None) => "None",
        ExprKind::Constant(Constant::True) => "True",
        ExprKind::Constant(Constant::False) => "False",
        ExprKind::Constant(Constant::Ellipsis) => "ellipsis",
        ExprKind::Constant(_) => "literal",
        ExprKind::Call { .. } => "function call",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::List(_) => "list",
        ExprKind::Name(_) => "name",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::BoolOp { .. } | ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } => "expression",
    }
}
