//! Expression folding (spec §1). In: an expression. Out: the same expression with const names
//! substituted and, bottom-up, numeric operations (through the runtime's own
//! `types::number`, DESIGN.md decision 12), `not`, `and`/`or`, constant tuples, `math.NAME` and
//! `errno.ENAME` replaced by constants. An operation that would raise is left for run time.

use frost_runtime::types::number::{self, Number};
use num_bigint::BigInt;

use crate::ast::{BoolOp, Constant, Expr, ExprKind, UnaryOp};
use crate::diag::CompileError;

use super::Folder;

/// MicroPython's errno values, folded for `errno.ENAME`.
const ERRNO: &[(&str, i64)] = &[
    ("EPERM", 1),
    ("ENOENT", 2),
    ("EIO", 5),
    ("EBADF", 9),
    ("EAGAIN", 11),
    ("ENOMEM", 12),
    ("EACCES", 13),
    ("EEXIST", 17),
    ("ENODEV", 19),
    ("EISDIR", 21),
    ("EINVAL", 22),
    ("EOPNOTSUPP", 95),
    ("EADDRINUSE", 98),
    ("ECONNABORTED", 103),
    ("ECONNRESET", 104),
    ("ENOBUFS", 105),
    ("ENOTCONN", 107),
    ("ETIMEDOUT", 110),
    ("ECONNREFUSED", 111),
    ("EHOSTUNREACH", 113),
    ("EALREADY", 114),
    ("EINPROGRESS", 115),
];

impl Folder<'_> {
    /// Folds an expression in place.
    pub(crate) fn expr(&mut self, e: &mut Expr) -> Result<(), CompileError> {
        let folded = match &mut e.kind {
            ExprKind::Name(name) => self.lookup(name),
            ExprKind::Constant(_) => None,
            ExprKind::BoolOp { op, values } => {
                for v in values.iter_mut() {
                    self.expr(v)?;
                }
                if let Some(single) = fold_bool_op(*op, values) {
                    *e = single;
                }
                None
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                let (Some(a), Some(b)) = (number_of(left), number_of(right)) else {
                    return Ok(());
                };
                number::binary(*op, &a, &b).ok().map(constant_of)
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                let Some(c) = operand.as_constant() else {
                    return Ok(());
                };
                if *op == UnaryOp::Not {
                    Some(if c.is_truthy() {
                        Constant::False
                    } else {
                        Constant::True
                    })
                } else {
                    number_of(operand)
                        .and_then(|n| number::unary(*op, &n).ok())
                        .map(constant_of)
                }
            }
            ExprKind::Compare {
                left, comparators, ..
            } => {
                self.expr(left)?;
                comparators.iter_mut().try_for_each(|c| self.expr(c))?;
                None
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test)?;
                self.expr(body)?;
                self.expr(orelse)?;
                None
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.trailer_base(func)?;
                self.warn_unfolded_const(func, e.span);
                args.iter_mut().try_for_each(|a| self.expr(a))?;
                for kw in keywords.iter_mut() {
                    if let Some(arg) = &kw.arg {
                        self.keyword_name(arg)?;
                    }
                    self.expr(&mut kw.value)?;
                }
                None
            }
            ExprKind::Attribute { value, attr } => {
                self.trailer_base(value)?;
                match &value.kind {
                    ExprKind::Name(module) => module_constant(module, &attr.name),
                    _ => None,
                }
            }
            ExprKind::Subscript { value, index } => {
                self.trailer_base(value)?;
                self.expr(index)?;
                None
            }
            ExprKind::Tuple(items) => {
                items.iter_mut().try_for_each(|i| self.expr(i))?;
                items
                    .iter()
                    .map(|i| i.as_constant().cloned())
                    .collect::<Option<Vec<_>>>()
                    .map(Constant::Tuple)
            }
            ExprKind::List(items) => {
                items.iter_mut().try_for_each(|i| self.expr(i))?;
                None
            }
            ExprKind::Dict(pairs) => {
                for (k, v) in pairs.iter_mut() {
                    if let Some(k) = k {
                        self.expr(k)?;
                    }
                    self.expr(v)?;
                }
                None
            }
            _ => {
                self.nested_expr(e)?;
                None
            }
        };
        if let Some(c) = folded {
            e.kind = ExprKind::Constant(c);
        }
        Ok(())
    }
}

impl Folder<'_> {
    /// Folds the expression a trailer (`.name`, call, subscript) applies to. `math.pi` is not
    /// folded there: MicroPython folds `module.NAME` only with no further trailer.
    fn trailer_base(&mut self, e: &mut Expr) -> Result<(), CompileError> {
        match &mut e.kind {
            ExprKind::Attribute { value, .. } if matches!(value.kind, ExprKind::Name(_)) => {
                self.expr(value)
            }
            _ => self.expr(e),
        }
    }
}

/// A numeric operand: an int or float constant (bools, None and the rest are not, spec §1).
fn number_of(e: &Expr) -> Option<Number> {
    match e.as_constant()? {
        Constant::Int(i) => Some(Number::Int(i.clone())),
        Constant::Float(f) => Some(Number::Float(*f)),
        _ => None,
    }
}

fn constant_of(n: Number) -> Constant {
    match n {
        Number::Int(i) => Constant::Int(i),
        Number::Float(f) => Constant::Float(f),
    }
}

/// `math.pi/e/tau/inf/nan` and `errno.ENAME`, whether or not the module was imported.
fn module_constant(module: &str, attr: &str) -> Option<Constant> {
    match module {
        "math" => Some(Constant::Float(match attr {
            "pi" => core::f64::consts::PI,
            "e" => core::f64::consts::E,
            "tau" => core::f64::consts::TAU,
            "inf" => f64::INFINITY,
            "nan" => f64::NAN,
            _ => return None,
        })),
        "errno" => ERRNO
            .iter()
            .find(|(name, _)| *name == attr)
            .map(|(_, value)| Constant::Int(BigInt::from(*value))),
        _ => None,
    }
}

/// Logical folding of `a or b or …` / `a and b and …` (spec §1): constant operands that cannot
/// decide the result are dropped (except the last), the first deciding constant ends the
/// chain. Returns the single remaining operand when only one is left.
fn fold_bool_op(op: BoolOp, values: &mut Vec<Expr>) -> Option<Expr> {
    let decides = |c: &Constant| match op {
        BoolOp::Or => c.is_truthy(),
        BoolOp::And => !c.is_truthy(),
    };
    let last = values.len().saturating_sub(1);
    let mut kept = Vec::with_capacity(values.len());
    for (i, v) in core::mem::take(values).into_iter().enumerate() {
        match v.as_constant() {
            Some(c) if decides(c) => {
                kept.push(v);
                break;
            }
            Some(_) if i != last => {}
            _ => kept.push(v),
        }
    }
    if kept.len() == 1 {
        return kept.pop();
    }
    *values = kept;
    None
}
