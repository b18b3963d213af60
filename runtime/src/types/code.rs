//! Code objects, as `compile()` returns them. In: image bytes the host compiled. Out: a value
//! `exec`/`eval` accept, which loads the image each time it runs (the bytes are shared, never
//! copied).

use alloc::rc::Rc;

use crate::host::Mode;

/// A compiled module body: the image and whether its body returns an expression's value.
#[derive(Debug)]
pub struct Code {
    /// The verified-on-load image bytes.
    pub image: Rc<[u8]>,
    /// `compile(..., "eval")` gives Eval; "exec" and "single" give Exec.
    pub mode: Mode,
}
