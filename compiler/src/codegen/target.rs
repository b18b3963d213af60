//! Binding beyond plain names. In: a tuple/list target (possibly with one `*name`), an
//! annotated target without a value, or `from m import *`. Out: instructions: UNPACK_SEQUENCE,
//! or UNPACK_EX when a starred item takes the middle (nested targets recurse); the parts of
//! `a.b: T` / `a[i]: T` evaluated and dropped (the annotation is never evaluated); IMPORT_STAR.
//! (`:=` is `function::named_expr`.)

use frost_runtime::image::{Args, Opcode};

use crate::ast::{Expr, ExprKind, Ident, Span};
use crate::diag::CompileError;

use super::FnCompiler;

/// Most targets on either side of a starred one: UNPACK_EX gives each count one byte.
const MAX_UNPACK_EX_SIDE: usize = 255;

impl FnCompiler<'_, '_> {
    /// Binds the sequence on top of the stack to the items of a tuple or list target.
    pub(super) fn store_sequence(
        &mut self,
        items: &[Expr],
        span: Span,
    ) -> Result<(), CompileError> {
        let mut starred = items
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.kind, ExprKind::Starred(_)));
        let star = starred.next().map(|(at, _)| at);
        if let Some((_, second)) = starred.next() {
            return Err(CompileError::syntax(
                "multiple starred expressions in assignment",
                second.span,
            ));
        }
        match star {
            None => self.op1(Opcode::UNPACK_SEQUENCE, items.len() as u32),
            Some(before) => {
                let after = items.len() - before - 1;
                if before > MAX_UNPACK_EX_SIDE || after > MAX_UNPACK_EX_SIDE {
                    return Err(CompileError::syntax(
                        "too many expressions in star-unpacking assignment",
                        span,
                    ));
                }
                self.op1(Opcode::UNPACK_EX, (before | after << 8) as u32);
            }
        }
        for item in items {
            match &item.kind {
                ExprKind::Starred(inner) => self.store(inner)?,
                _ => self.store(item)?,
            }
        }
        Ok(())
    }

    /// `target: annotation` with no value: a name binds nothing; for `a.b` and `a[i]` the
    /// object (and index) are evaluated, as CPython does, and dropped.
    pub(super) fn annotated_target(&mut self, target: &Expr) -> Result<(), CompileError> {
        match &target.kind {
            ExprKind::Attribute { value, .. } => {
                self.expr(value)?;
                self.op(Opcode::POP_TOP);
            }
            ExprKind::Subscript { value, index } => {
                self.expr(value)?;
                self.op(Opcode::POP_TOP);
                self.expr(index)?;
                self.op(Opcode::POP_TOP);
            }
            _ => {}
        }
        Ok(())
    }

    /// `from module import *` (level dots): binds every public name of the module.
    pub(super) fn import_star(
        &mut self,
        module: Option<&Ident>,
        level: u32,
        span: Span,
    ) -> Result<(), CompileError> {
        use frost_runtime::image::verify::MAX_IMPORT_LEVEL;
        if self.scope.kind != crate::scope::ScopeKind::Module {
            return Err(CompileError::syntax(
                "import * only allowed at module level",
                span,
            ));
        }
        if level > MAX_IMPORT_LEVEL {
            return Err(CompileError::syntax(
                "too many leading dots in import",
                span,
            ));
        }
        let star = crate::ast::Constant::Tuple(vec![crate::ast::Constant::Str("*".into())]);
        self.load_const(&star);
        let module_idx = self.unit.name(module.map_or("", |m| m.name.as_str()));
        self.code
            .emit(Opcode::IMPORT_NAME, Args::Two(module_idx, level));
        self.op(Opcode::IMPORT_STAR);
        Ok(())
    }
}
