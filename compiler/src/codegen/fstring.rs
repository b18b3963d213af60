//! f-strings. In: a `JoinedStr` (constant pieces and `FormattedValue`s) or one
//! `FormattedValue`. Out: instructions leaving the formatted str: each piece pushed (a
//! FORMAT_VALUE per replacement field, its spec built first when there is one), then
//! BUILD_STRING. Nothing is formatted at compile time: `__format__` and `__str__` may run code.

use frost_runtime::image::Opcode;

use crate::ast::{Constant, Expr, ExprKind};
use crate::diag::CompileError;

use super::FnCompiler;

/// FORMAT_VALUE flag: a format spec is on the stack above the value.
const FORMAT_HAS_SPEC: u32 = 4;

impl FnCompiler<'_, '_> {
    /// Pushes the str an f-string makes.
    pub(super) fn joined_str(&mut self, parts: &[Expr]) -> Result<(), CompileError> {
        match parts {
            [] => self.load_const(&Constant::Str(String::new())),
            // A lone literal piece is the string itself; a lone field needs no concatenation.
            [
                Expr {
                    kind: ExprKind::Constant(Constant::Str(_)) | ExprKind::FormattedValue { .. },
                    ..
                },
            ] => parts.iter().try_for_each(|p| self.expr(p))?,
            _ => {
                parts.iter().try_for_each(|p| self.expr(p))?;
                self.op1(Opcode::BUILD_STRING, parts.len() as u32);
            }
        }
        Ok(())
    }

    /// Pushes `format(conversion(value), spec)` for one `{value!conversion:spec}` field.
    pub(super) fn formatted_value(
        &mut self,
        value: &Expr,
        conversion: Option<char>,
        format_spec: Option<&Expr>,
    ) -> Result<(), CompileError> {
        let mut flags = match conversion {
            None => 0,
            Some('s') => 1,
            Some('r') => 2,
            Some('a') => 3,
            Some(other) => {
                return Err(CompileError::syntax(
                    format!("f-string: invalid conversion character '{other}'"),
                    value.span,
                ));
            }
        };
        self.expr(value)?;
        if let Some(spec) = format_spec {
            self.expr(spec)?;
            flags |= FORMAT_HAS_SPEC;
        }
        self.op1(Opcode::FORMAT_VALUE, flags);
        Ok(())
    }
}
