//! Folding. In: the parsed `ast::Module`, the source text and the optimisation level. Out: the
//! same module rewritten in place, plus warnings: const() definitions recognised, substituted
//! and (for `_NAME`) removed, numeric and logical constant expressions folded, dead branches,
//! lone constants, docstrings and (at -O1+) asserts dropped, `__debug__` replaced. Next: `scope`.
//!
//! - `consts`: const() recognition, the const table and name substitution (spec §2);
//! - `expr`: numeric, logical, tuple and module-constant folding (spec §1);
//! - `nested`: lambdas, comprehensions, f-strings and the other expressions that must run;
//! - `stmt`: statements, dead code, asserts and docstrings (spec §1, §3).

mod consts;
mod expr;
mod nested;
mod stmt;

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Constant, Module};
use crate::diag::{CompileError, Warning};

/// Folding state for one compilation unit: the const table lives as long as the unit (§2.3).
pub(crate) struct Folder<'s> {
    source: &'s str,
    opt_level: u8,
    /// Name → value of every const() defined so far, in any scope.
    consts: BTreeMap<String, Constant>,
    /// Names bound to `const` under another name (`from micropython import const as c`).
    const_aliases: BTreeSet<String>,
    warnings: Vec<Warning>,
}

/// Folds `module` in place. Errors are SyntaxErrors of the const() rules (spec §2.2, §2.4)
/// and assignments to `__debug__`.
pub fn fold(
    module: &mut Module,
    source: &str,
    opt_level: u8,
) -> Result<Vec<Warning>, CompileError> {
    let mut folder = Folder {
        source,
        opt_level,
        consts: BTreeMap::new(),
        const_aliases: BTreeSet::new(),
        warnings: Vec::new(),
    };
    let body = core::mem::take(&mut module.body);
    module.body = folder.block(body)?;
    Ok(folder.warnings)
}
