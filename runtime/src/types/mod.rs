//! Python semantics of the built-in types. In: values and the heap. Out: results or Python
//! exceptions. `number` and `text` are pure (no heap) so the compiler's folding can share them;
//! the rest operate on `Obj`, the heap's object type, one file per type.

pub mod buffer;
pub mod bytearray;
pub mod bytes;
pub mod class;
pub mod class_repr;
pub mod code;
pub mod complex;
pub mod dict;
pub mod dict_methods;
pub mod error;
pub mod exception;
pub mod format;
pub mod function;
pub mod generator;
pub mod int;
pub mod iterator;
pub mod list;
pub mod memoryview;
pub mod number;
pub mod obj;
pub mod object;
pub mod order;
pub mod poll;
pub mod range;
pub mod ringio;
pub mod set;
pub mod slice;
pub mod str;
pub mod str_format;
pub mod str_methods;
pub mod text;
pub mod tuple;
pub mod typeid;

pub use error::{PyErr, PyResult};
pub use obj::Obj;
pub use typeid::TypeId;
