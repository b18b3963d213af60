//! Python semantics of the built-in types. In: values and the heap. Out: results or Python
//! exceptions. `number` and `text` are pure (no heap) so the compiler's folding can share them.

pub mod number;
pub mod text;
