//! Functions, bound methods and modules. In: a code object reference and defaults. Out: the
//! callable objects the VM's call path binds arguments for.

use alloc::vec::Vec;

use crate::value::Value;

/// A Python function: code of a loaded module, its globals and its default values.
#[derive(Debug)]
pub struct Function {
    /// Index of the module in the VM's module table.
    pub module: u16,
    /// Index of the code object within that module's image.
    pub code: u32,
    /// The function's name (a str).
    pub name: Value,
    /// The module's globals dict.
    pub globals: Value,
    /// Default values of the last `defaults.len()` positional parameters.
    pub defaults: Vec<Value>,
    /// Defaults of keyword-only parameters: a dict from name to value, or NULL when none.
    pub kwdefaults: Value,
    /// The cells of the code's free variables: a tuple, or NULL when the code has none.
    pub closure: Value,
}

/// A callable with its `self` bound (`l.append` as a value).
#[derive(Debug)]
pub struct BoundMethod {
    pub func: Value,
    pub slf: Value,
}

/// A module object.
#[derive(Debug)]
pub struct Module {
    /// The module's name (a str).
    pub name: Value,
    /// Its globals dict.
    pub globals: Value,
}
