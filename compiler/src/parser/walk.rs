//! Expression search. In: a parsed expression and a predicate. Out: the first sub-expression
//! (in source order, the expression itself first) that matches, not looking inside `lambda`
//! bodies (their own scope). Used by the compile-phase checks on comprehensions; its recursion
//! is bounded by the parser's tree-depth limit.

use crate::ast::{Expr, ExprKind};

/// The first sub-expression of `e` matching `pred`.
pub fn find<'e>(e: &'e Expr, pred: &dyn Fn(&Expr) -> bool) -> Option<&'e Expr> {
    if pred(e) {
        return Some(e);
    }
    children(e).into_iter().find_map(|c| find(c, pred))
}

/// The direct sub-expressions of `e` that belong to its scope.
fn children(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Constant(_) | ExprKind::Lambda { .. } => Vec::new(),
        ExprKind::BoolOp { values, .. } => values.iter().collect(),
        ExprKind::BinOp { left, right, .. } => vec![left, right],
        ExprKind::UnaryOp { operand, .. } => vec![operand],
        ExprKind::Compare {
            left, comparators, ..
        } => core::iter::once(&**left).chain(comparators).collect(),
        ExprKind::IfExp { test, body, orelse } => vec![body, test, orelse],
        ExprKind::Call {
            func,
            args,
            keywords,
        } => core::iter::once(&**func)
            .chain(args)
            .chain(keywords.iter().map(|k| &k.value))
            .collect(),
        ExprKind::Attribute { value, .. } => vec![value],
        ExprKind::Subscript { value, index } => vec![value, index],
        ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
            items.iter().collect()
        }
        ExprKind::JoinedStr(items) => items.iter().collect(),
        ExprKind::Dict(pairs) => pairs
            .iter()
            .flat_map(|(k, v)| k.iter().chain(core::iter::once(v)))
            .collect(),
        ExprKind::Starred(v) | ExprKind::YieldFrom(v) | ExprKind::Await(v) => vec![v],
        ExprKind::Yield(v) => v.iter().map(|b| &**b).collect(),
        ExprKind::Slice { lower, upper, step } => [lower, upper, step]
            .into_iter()
            .flatten()
            .map(|b| &**b)
            .collect(),
        ExprKind::NamedExpr { target, value } => vec![target, value],
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => core::iter::once(&**elt)
            .chain(generators.iter().flat_map(|g| {
                core::iter::once(&g.target)
                    .chain(core::iter::once(&g.iter))
                    .chain(&g.ifs)
            }))
            .collect(),
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => [&**key, &**value]
            .into_iter()
            .chain(generators.iter().flat_map(|g| {
                core::iter::once(&g.target)
                    .chain(core::iter::once(&g.iter))
                    .chain(&g.ifs)
            }))
            .collect(),
        ExprKind::FormattedValue {
            value, format_spec, ..
        } => core::iter::once(&**value)
            .chain(format_spec.iter().map(|b| &**b))
            .collect(),
    }
}
