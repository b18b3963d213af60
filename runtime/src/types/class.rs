//! Classes defined in Python and their instances. In: class values (name, one base, namespace
//! dict) and instances. Out: attribute lookup along the single-inheritance chain, the class of
//! any value, subclass tests mixing user classes and built-in types, and class names.

use super::obj::{Obj, Store};
use super::{PyResult, TypeId, dict_methods};
use crate::value::{Kind, Value};

/// Longest base chain followed; a longer one cannot be built by class statements in practice
/// and bounds every walk below.
const MAX_BASES: usize = 64;

/// A class: its name, its base (a class, a built-in type, or NULL for `object`), namespace.
#[derive(Debug)]
pub struct Class {
    /// A str.
    pub name: Value,
    /// The base class: another `Class`, a built-in type value, or NULL.
    pub base: Value,
    /// The class namespace (a dict): methods and class attributes.
    pub dict: Value,
}

impl Class {
    /// Reports held values to the collector.
    pub fn trace(&self, visit: &mut dyn FnMut(Value)) {
        visit(self.name);
        visit(self.base);
        visit(self.dict);
    }
}

/// An instance of a Python class whose root is `object`.
#[derive(Debug)]
pub struct Instance {
    pub class: Value,
    /// Instance attributes (a dict).
    pub dict: Value,
}

/// Whether `v` is a class defined in Python.
pub fn is_class(store: &Store, v: Value) -> bool {
    matches!(store.obj(v), Some(Obj::Class(_)))
}

/// `name` in class `cls` or its bases (user classes only; built-in bases end the walk).
pub fn lookup(store: &Store, cls: Value, name: Value) -> PyResult<Option<Value>> {
    let mut c = cls;
    for _ in 0..MAX_BASES {
        let Some(Obj::Class(k)) = store.obj(c) else {
            return Ok(None);
        };
        if let Some(v) = dict_methods::lookup(store, k.dict, name)? {
            return Ok(Some(v));
        }
        c = k.base;
    }
    Ok(None)
}

/// The built-in type at the root of `cls`'s chain (`object` when none).
pub fn builtin_root(store: &Store, cls: Value) -> TypeId {
    let mut c = cls;
    for _ in 0..MAX_BASES {
        match store.obj(c) {
            Some(Obj::Class(k)) => c = k.base,
            _ => break,
        }
    }
    c.as_type_id()
        .and_then(TypeId::from_u16)
        .unwrap_or(TypeId::Object)
}

/// The class of `v`: a user class for instances (and exceptions of user classes), else the
/// built-in type value.
pub fn class_of(store: &Store, v: Value) -> Value {
    match store.obj(v) {
        Some(Obj::Instance(i)) => i.class,
        Some(Obj::Exception(e)) if !e.class.is_null() => e.class,
        _ => store.type_of(v).value(),
    }
}

/// Whether class (or type) `cls` is `target` or derives from it.
pub fn is_subclass(store: &Store, cls: Value, target: Value) -> bool {
    let mut c = cls;
    for _ in 0..MAX_BASES {
        if c.is(target) {
            return true;
        }
        match (store.obj(c), c.kind()) {
            (Some(Obj::Class(k)), _) => {
                if k.base.is_null() {
                    return target.is(TypeId::Object.value());
                }
                c = k.base;
            }
            (_, Kind::Type(t)) => {
                let (Some(ty), Some(base)) = (
                    TypeId::from_u16(t),
                    target.as_type_id().and_then(TypeId::from_u16),
                ) else {
                    return false;
                };
                return ty.is_subclass(base);
            }
            _ => return false,
        }
    }
    false
}

/// The name of a class or built-in type value.
pub fn name_of(store: &Store, cls: Value) -> &str {
    match store.obj(cls) {
        Some(Obj::Class(k)) => store.str_of(k.name).unwrap_or("?"),
        _ => cls
            .as_type_id()
            .and_then(TypeId::from_u16)
            .map_or("?", TypeId::name),
    }
}

/// The name of `v`'s class, for messages and reprs (user class names included).
pub fn type_name_of(store: &Store, v: Value) -> &str {
    name_of(store, class_of(store, v))
}

/// The instance attribute dict of `v` (an instance, or an exception of a user class).
pub fn instance_dict(store: &Store, v: Value) -> Option<Value> {
    match store.obj(v) {
        Some(Obj::Instance(i)) => Some(i.dict),
        Some(Obj::Exception(e)) if !e.dict.is_null() => Some(e.dict),
        _ => None,
    }
}
