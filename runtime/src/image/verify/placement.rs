//! Where opcodes may appear. In: one decoded instruction and the flags of the code object that
//! holds it. Out: `Ok` when that kind of code can run the opcode, else `MisplacedOpcode`.
//!
//! The VM relies on these: it suspends only frames that belong to a generator or coroutine
//! object, resolves LOAD_CLASSDEREF through a class namespace that only a class body has, and
//! binds `import *` names in a namespace that only module and class bodies have.

use crate::image::LoadError;
use crate::image::format::{CODE_CLASS_BODY, CODE_COROUTINE, CODE_GENERATOR, CODE_MODULE};
use crate::image::opcode::Opcode;

/// Code that runs in a frame a generator or coroutine object owns, so it can suspend.
const SUSPENDABLE: u32 = CODE_GENERATOR | CODE_COROUTINE;
/// Code that runs with a namespace dict for its locals.
const NAMESPACE: u32 = CODE_MODULE | CODE_CLASS_BODY;

/// Checks that code with `flags` may contain `op`.
pub(super) fn check_placement(
    c: u32,
    offset: u32,
    op: Opcode,
    flags: u32,
) -> Result<(), LoadError> {
    use Opcode::*;
    let (allowed, needs) = match op {
        YIELD_VALUE | YIELD_FROM => (SUSPENDABLE, "generator or coroutine code"),
        // Awaiting needs a frame that can suspend. A comprehension with `async for` inside an
        // `async def` is its own code object, compiled as a generator or a coroutine; both
        // suspend through YIELD_FROM, so both may await.
        GET_AWAITABLE | GET_AITER | GET_ANEXT | END_ASYNC_FOR | BEFORE_ASYNC_WITH => {
            (SUSPENDABLE, "coroutine code")
        }
        LOAD_CLASSDEREF => (CODE_CLASS_BODY, "a class body"),
        IMPORT_STAR => (NAMESPACE, "module or class-body code"),
        _ => return Ok(()),
    };
    if flags & allowed == 0 {
        return Err(LoadError::MisplacedOpcode {
            code: c,
            offset,
            op: op.name(),
            needs,
        });
    }
    Ok(())
}
