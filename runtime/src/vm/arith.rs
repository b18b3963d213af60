//! Arithmetic on instances of Python classes. In: BINARY_OP, INPLACE_OP and UNARY_OP where an
//! operand is such an instance. Out: the result of `__add__`/`__radd__`/`__iadd__` and the
//! other operator methods (in-place first, then the left operand's, then the right's
//! reflected one), or CPython's TypeError when none applies.

use alloc::format;

use super::Machine;
use crate::image::{BinaryOp, UnaryOp};
use crate::port::Port;
use crate::types::{PyErr, PyResult, class};

/// Method names of a binary operator: (plain, reflected, in-place).
fn names(op: BinaryOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinaryOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinaryOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinaryOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinaryOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinaryOp::TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinaryOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinaryOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinaryOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinaryOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinaryOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinaryOp::And => ("__and__", "__rand__", "__iand__"),
        BinaryOp::Or => ("__or__", "__ror__", "__ior__"),
        BinaryOp::Xor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

impl Machine {
    /// BINARY_OP / INPLACE_OP with a Python-class operand: [a, b] -> [a op b].
    pub(super) fn binary_instance(
        &mut self,
        port: &mut dyn Port,
        op: BinaryOp,
        inplace: bool,
    ) -> PyResult<()> {
        let (a, b) = (self.peek(1), self.peek(0));
        let (plain, reflected, in_place) = names(op);
        let mut result = None;
        if inplace {
            result = self.call_special(port, a, in_place, &[b])?;
        }
        if result.is_none() {
            result = self.call_special(port, a, plain, &[b])?;
        }
        if result.is_none() && !a.is(b) {
            result = self.call_special(port, b, reflected, &[a])?;
        }
        let Some(v) = result else {
            let sym = op.symbol();
            let eq = if inplace { "=" } else { "" };
            return Err(PyErr::type_error(format!(
                "unsupported operand type(s) for {sym}{eq}: '{}' and '{}'",
                class::type_name_of(&self.store, a),
                class::type_name_of(&self.store, b)
            )));
        };
        self.pop();
        self.pop();
        self.push(v);
        Ok(())
    }

    /// UNARY_OP `+`, `-`, `~` on an instance: `__pos__`, `__neg__`, `__invert__`.
    pub(super) fn unary_instance(&mut self, port: &mut dyn Port, op: UnaryOp) -> PyResult<()> {
        let v = self.top();
        let name = match op {
            UnaryOp::Pos => "__pos__",
            UnaryOp::Neg => "__neg__",
            _ => "__invert__",
        };
        let Some(r) = self.call_special(port, v, name, &[])? else {
            return Err(PyErr::type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                class::type_name_of(&self.store, v)
            )));
        };
        self.pop();
        self.push(r);
        Ok(())
    }
}
