//! Expressions. In: a folded expression. Out: instructions leaving its value on the stack;
//! also binding and deleting targets. Calls of `obj.m(...)` use LOAD_METHOD/CALL_METHOD (no
//! bound method), comparison chains evaluate each operand once (DUP_TOP/ROT_THREE).

use frost_runtime::image::Opcode;

use crate::ast::{BoolOp, CompareOp, Expr, ExprKind, UnaryOp};
use crate::diag::CompileError;

use super::FnCompiler;
use super::display::Display;

impl FnCompiler<'_, '_> {
    /// Pushes the value of `e`.
    pub(super) fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        use Opcode::*;
        match &e.kind {
            ExprKind::Name(name) => self.load_name(name),
            ExprKind::Constant(c) => self.load_const(c),
            ExprKind::BoolOp { op, values } => {
                let end = self.code.new_label();
                let jump = match op {
                    BoolOp::And => JUMP_IF_FALSE_OR_POP,
                    BoolOp::Or => JUMP_IF_TRUE_OR_POP,
                };
                let (last, rest) = values
                    .split_last()
                    .ok_or_else(|| CompileError::syntax("invalid syntax", e.span))?;
                for v in rest {
                    self.expr(v)?;
                    self.code.jump(jump, end);
                }
                self.expr(last)?;
                self.code.place(end);
            }
            ExprKind::BinOp { left, op, right } => {
                self.expr(left)?;
                self.expr(right)?;
                self.op1(BINARY_OP, *op as u32);
            }
            ExprKind::UnaryOp { op, operand } => {
                self.expr(operand)?;
                self.op1(UNARY_OP, *op as u32);
            }
            ExprKind::Compare {
                left,
                ops,
                comparators,
            } => self.compare(left, ops, comparators)?,
            ExprKind::IfExp { test, body, orelse } => {
                let (otherwise, end) = (self.code.new_label(), self.code.new_label());
                self.jump_if(test, false, otherwise)?;
                self.expr(body)?;
                self.code.jump(JUMP, end);
                self.code.place(otherwise);
                self.expr(orelse)?;
                self.code.place(end);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => self.call(e, func, args, keywords)?,
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let idx = self.unit.name(&attr.name);
                self.op1(LOAD_ATTR, idx);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.op(BINARY_SUBSCR);
            }
            ExprKind::Tuple(items) => self.display(Display::Tuple, items)?,
            ExprKind::List(items) => self.display(Display::List, items)?,
            ExprKind::Set(items) => self.display(Display::Set, items)?,
            ExprKind::Dict(pairs) => self.dict_display(pairs)?,
            ExprKind::Slice { lower, upper, step } => {
                self.slice(lower.as_deref(), upper.as_deref(), step.as_deref())?
            }
            ExprKind::JoinedStr(parts) => self.joined_str(parts)?,
            ExprKind::FormattedValue {
                value,
                conversion,
                format_spec,
            } => self.formatted_value(value, *conversion, format_spec.as_deref())?,
            ExprKind::Starred(_) => {
                return Err(CompileError::syntax(
                    "can't use starred expression here",
                    e.span,
                ));
            }
            ExprKind::Lambda { params, body } => self.lambda(e, params, body)?,
            ExprKind::NamedExpr { target, value } => self.named_expr(target, value)?,
            ExprKind::ListComp { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::DictComp { .. }
            | ExprKind::GeneratorExp { .. } => self.comprehension(e)?,
            ExprKind::Yield(value) => self.yield_(value.as_deref())?,
            ExprKind::YieldFrom(value) => self.yield_from(value)?,
            ExprKind::Await(value) => self.await_(value)?,
        }
        Ok(())
    }

    /// Jumps to `target` when the truth of `e` is `when`, else falls through; pushes nothing.
    /// `not`, `and` and `or` become jumps (no JUMP_IF_*_OR_POP, no UNARY_OP not), as
    /// MicroPython's and CPython's compilers do for conditions.
    pub(super) fn jump_if(
        &mut self,
        e: &Expr,
        when: bool,
        target: super::Label,
    ) -> Result<(), CompileError> {
        match &e.kind {
            ExprKind::UnaryOp {
                op: UnaryOp::Not,
                operand,
            } => self.jump_if(operand, !when, target),
            ExprKind::BoolOp { op, values } => {
                let Some((last, rest)) = values.split_last() else {
                    return Err(CompileError::syntax("invalid syntax", e.span));
                };
                // `and` jumping on true (or `or` on false) needs every operand to agree.
                if (*op == BoolOp::And) == when {
                    let skip = self.code.new_label();
                    for v in rest {
                        self.jump_if(v, !when, skip)?;
                    }
                    self.jump_if(last, when, target)?;
                    self.code.place(skip);
                } else {
                    for v in values {
                        self.jump_if(v, when, target)?;
                    }
                }
                Ok(())
            }
            ExprKind::Constant(c) => {
                if c.is_truthy() == when {
                    self.code.jump(Opcode::JUMP, target);
                }
                Ok(())
            }
            _ => {
                self.expr(e)?;
                let op = if when {
                    Opcode::POP_JUMP_IF_TRUE
                } else {
                    Opcode::POP_JUMP_IF_FALSE
                };
                self.code.jump(op, target);
                Ok(())
            }
        }
    }

    /// `a < b < c`: each operand once; the chain stops at the first false comparison.
    fn compare(
        &mut self,
        left: &Expr,
        ops: &[CompareOp],
        comparators: &[Expr],
    ) -> Result<(), CompileError> {
        use Opcode::*;
        self.expr(left)?;
        let n = ops.len().min(comparators.len());
        if n == 1 {
            if let (Some(op), Some(right)) = (ops.first(), comparators.first()) {
                self.expr(right)?;
                self.op1(COMPARE_OP, *op as u32);
            }
            return Ok(());
        }
        let (cleanup, end) = (self.code.new_label(), self.code.new_label());
        for (i, (op, right)) in ops.iter().zip(comparators).enumerate() {
            self.expr(right)?;
            if i + 1 < n {
                // [a, b] -> [b, a, b] -> [b, a<b]: b stays for the next comparison.
                self.op(DUP_TOP);
                self.op(ROT_THREE);
                self.op1(COMPARE_OP, *op as u32);
                self.code.jump(JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                self.op1(COMPARE_OP, *op as u32);
                self.code.jump(JUMP, end);
            }
        }
        // [b, False] -> [False]
        self.code.place(cleanup);
        self.op(ROT_TWO);
        self.op(POP_TOP);
        self.code.place(end);
        Ok(())
    }

    /// Binds the value on top of the stack to `target` (popping it).
    pub(super) fn store(&mut self, target: &Expr) -> Result<(), CompileError> {
        use Opcode::*;
        match &target.kind {
            ExprKind::Name(name) => self.store_name(name),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let idx = self.unit.name(&attr.name);
                self.op1(STORE_ATTR, idx);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.op(STORE_SUBSCR);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                self.store_sequence(items, target.span)?
            }
            ExprKind::Constant(_) => {
                return Err(CompileError::syntax("can't assign to literal", target.span));
            }
            _ => {
                return Err(CompileError::syntax(
                    "can't assign to expression",
                    target.span,
                ));
            }
        }
        Ok(())
    }

    /// `del target`.
    pub(super) fn delete(&mut self, target: &Expr) -> Result<(), CompileError> {
        use Opcode::*;
        match &target.kind {
            ExprKind::Name(name) => self.delete_name(name),
            ExprKind::Attribute { value, attr } => {
                self.expr(value)?;
                let idx = self.unit.name(&attr.name);
                self.op1(DELETE_ATTR, idx);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.expr(index)?;
                self.op(DELETE_SUBSCR);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|i| self.delete(i))?;
            }
            _ => {
                return Err(CompileError::syntax("can't delete expression", target.span));
            }
        }
        Ok(())
    }
}
