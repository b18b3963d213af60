//! Displays and slices. In: a tuple, list, set or dict display (possibly with `*`/`**`
//! unpacking) or a slice. Out: instructions leaving the value: BUILD_SET for plain sets; with
//! unpacking, the items before the first `*` built at once, then LIST_EXTEND/SET_UPDATE for
//! each `*x` and LIST_APPEND/SET_ADD for each later item (LIST_TO_TUPLE for a tuple); dicts
//! BUILD_MAP then DICT_UPDATE/MAP_ADD; slices BUILD_SLICE with None for a missing bound.

use frost_runtime::image::Opcode;

use crate::ast::{Expr, ExprKind};
use crate::diag::CompileError;

use super::FnCompiler;

/// Which display is being built.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(super) enum Display {
    Tuple,
    List,
    Set,
}

impl FnCompiler<'_, '_> {
    /// Pushes a tuple, list or set display.
    pub(super) fn display(&mut self, kind: Display, items: &[Expr]) -> Result<(), CompileError> {
        use Opcode::*;
        let first_star = items
            .iter()
            .position(|i| matches!(i.kind, ExprKind::Starred(_)));
        let build = match kind {
            Display::Tuple => BUILD_TUPLE,
            Display::List => BUILD_LIST,
            Display::Set => BUILD_SET,
        };
        let Some(first_star) = first_star else {
            items.iter().try_for_each(|i| self.expr(i))?;
            self.op1(build, items.len() as u32);
            return Ok(());
        };
        let (before, rest) = items.split_at(first_star);
        before.iter().try_for_each(|i| self.expr(i))?;
        let (build, extend, add) = match kind {
            Display::Tuple | Display::List => (BUILD_LIST, LIST_EXTEND, LIST_APPEND),
            Display::Set => (BUILD_SET, SET_UPDATE, SET_ADD),
        };
        self.op1(build, before.len() as u32);
        for item in rest {
            match &item.kind {
                ExprKind::Starred(value) => {
                    self.expr(value)?;
                    self.op1(extend, 1);
                }
                _ => {
                    self.expr(item)?;
                    self.op1(add, 1);
                }
            }
        }
        if kind == Display::Tuple {
            self.op(LIST_TO_TUPLE);
        }
        Ok(())
    }

    /// Pushes a dict display; `**mapping` entries (no key) merge in order.
    pub(super) fn dict_display(
        &mut self,
        pairs: &[(Option<Expr>, Expr)],
    ) -> Result<(), CompileError> {
        use Opcode::*;
        let first_merge = pairs.iter().position(|(k, _)| k.is_none());
        let (before, rest) = pairs.split_at(first_merge.unwrap_or(pairs.len()));
        for (k, v) in before {
            if let Some(k) = k {
                self.expr(k)?;
            }
            self.expr(v)?;
        }
        self.op1(BUILD_MAP, before.len() as u32);
        for (k, v) in rest {
            match k {
                Some(k) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.op1(MAP_ADD, 1);
                }
                None => {
                    self.expr(v)?;
                    self.op1(DICT_UPDATE, 1);
                }
            }
        }
        Ok(())
    }

    /// Pushes `slice(lower, upper[, step])`; a missing bound is None.
    pub(super) fn slice(
        &mut self,
        lower: Option<&Expr>,
        upper: Option<&Expr>,
        step: Option<&Expr>,
    ) -> Result<(), CompileError> {
        for bound in [lower, upper] {
            match bound {
                Some(b) => self.expr(b)?,
                None => self.op(Opcode::LOAD_NONE),
            }
        }
        let argc = match step {
            Some(step) => {
                self.expr(step)?;
                3
            }
            None => 2,
        };
        self.op1(Opcode::BUILD_SLICE, argc);
        Ok(())
    }
}
