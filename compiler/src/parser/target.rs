//! Assignment-target checks. In: an expression parsed where a target goes (left of `=`, after
//! `for`, after `del`, left of `+=` or of an annotation). Out: nothing, or CPython's error naming
//! what cannot be assigned to (`cannot assign to literal`, `cannot delete function call`, ...).
//! Binding `__debug__` is checked separately (`debug_target`): it is an error of a later phase.

use crate::ast::{Constant, Expr, ExprKind, UnaryOp};
use crate::diag::CompileError;

/// Checks a target of `=`, `for` or `del`; `verb` is `"assign to"` or `"delete"`. Tuples and
/// lists are checked item by item.
pub fn check_target(e: &Expr, verb: &str) -> Result<(), CompileError> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().try_for_each(|item| check_target(item, verb))
        }
        ExprKind::Starred(inner) if verb != "delete" => check_target(inner, verb),
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) if verb != "delete" => Err(
            CompileError::syntax("assignment to yield expression not possible", e.span),
        ),
        _ => Err(CompileError::syntax(
            format!("cannot {verb} {}", describe(e)),
            e.span,
        )),
    }
}

/// The error for a starred target CPython's compiler refuses: one alone (`*a = x`), or two in
/// one sequence (`a, *b, *c = x`).
pub fn starred_target(e: &Expr) -> Option<CompileError> {
    match &e.kind {
        ExprKind::Starred(_) => Some(CompileError::syntax(
            "starred assignment target must be in a list or tuple",
            e.span,
        )),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            let starred = items
                .iter()
                .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                .count();
            if starred > 1 {
                return Some(CompileError::syntax(
                    "multiple starred expressions in assignment",
                    e.span,
                ));
            }
            items.iter().find_map(|i| match &i.kind {
                ExprKind::Starred(inner) => starred_target(inner),
                _ => starred_target(i),
            })
        }
        _ => None,
    }
}

/// CPython's hint for `=` after an expression where `==` was probably meant (`if x = 1:`,
/// `[a = 1]`). None where CPython gives none: comparisons, boolean operators, conditional
/// expressions, lists, tuples, None, True and False.
pub fn equals_hint(e: &Expr) -> Option<CompileError> {
    let message = match &e.kind {
        ExprKind::Name(_) => "invalid syntax. Maybe you meant '==' or ':=' instead of '='?".into(),
        ExprKind::Constant(Constant::None | Constant::True | Constant::False)
        | ExprKind::List(_)
        | ExprKind::Tuple(_)
        | ExprKind::GeneratorExp { .. }
        | ExprKind::Yield(_)
        | ExprKind::YieldFrom(_)
        | ExprKind::Compare { .. }
        | ExprKind::BoolOp { .. }
        | ExprKind::IfExp { .. }
        | ExprKind::UnaryOp {
            op: UnaryOp::Not, ..
        } => return None,
        _ => format!(
            "cannot assign to {} here. Maybe you meant '==' instead of '='?",
            describe(e)
        ),
    };
    Some(CompileError::syntax(message, e.span))
}

/// The hint for the target of a statement with a single `=` (`1 = x`, `x, f() = y`): CPython
/// checks the target, or each item of an unparenthesised tuple, as an expression.
pub fn single_assignment_hint(target: &Expr) -> Option<CompileError> {
    let items = match &target.kind {
        ExprKind::Tuple(items)
            if items
                .first()
                .is_some_and(|i| i.span.start == target.span.start) =>
        {
            items.iter().collect()
        }
        _ => vec![target],
    };
    let bad = items
        .into_iter()
        .find(|i| check_target(i, "assign to").is_err())?;
    equals_hint(bad)
}

/// Checks the target of an augmented assignment: a single name, attribute or subscript.
pub fn check_aug_target(e: &Expr) -> Result<(), CompileError> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
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
            return Ok(());
        }
        ExprKind::Tuple(_) => "only single target (not tuple) can be annotated",
        ExprKind::List(_) => "only single target (not list) can be annotated",
        _ => "illegal target for annotation",
    };
    Err(CompileError::syntax(message, e.span))
}

/// The error for binding `__debug__` inside a valid target, if any. CPython finds it while
/// compiling, not parsing, so the parser reports it only if the whole file parses.
pub fn debug_target(e: &Expr, verb: &str) -> Option<CompileError> {
    match &e.kind {
        ExprKind::Name(name) if name == "__debug__" => Some(CompileError::syntax(
            format!("cannot {verb} __debug__"),
            e.span,
        )),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().find_map(|item| debug_target(item, verb))
        }
        ExprKind::Starred(inner) => debug_target(inner, verb),
        _ => None,
    }
}

/// CPython's name for what an expression is, in target errors.
pub fn describe(e: &Expr) -> &'static str {
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
        ExprKind::Set(_) => "set display",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::NamedExpr { .. } => "named expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::SetComp { .. } => "set comprehension",
        ExprKind::DictComp { .. } => "dict comprehension",
        ExprKind::GeneratorExp { .. } => "generator expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Await(_) => "await expression",
        ExprKind::JoinedStr(_) | ExprKind::FormattedValue { .. } => "f-string expression",
        ExprKind::Starred(_) => "starred",
        ExprKind::Slice { .. } => "slice",
    }
}
