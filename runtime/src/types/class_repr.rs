//! Reprs of the object-model kinds: sets, slices, cells, classes and instances. In: the value
//! and a callback that reprs nested values (with the caller's cycle guard). Out: the text, as
//! CPython writes it (`{1, 2}`, `set()`, `slice(1, 2, None)`, `<class '__main__.A'>`,
//! `<__main__.A object at 0x..>`).

use alloc::string::String;
use core::fmt::Write;

use super::class;
use super::obj::{Obj, Store};
use super::{dict_methods, slice};
use crate::value::Value;

/// Appends the repr of `v` (one of the kinds above) to `out`.
pub fn repr_into(
    store: &Store,
    v: Value,
    out: &mut String,
    nested: &mut dyn FnMut(&Store, Value, &mut String),
) {
    let handle = v.as_heap().map_or(0, |h| h.0);
    match store.obj(v) {
        Some(Obj::Set(d)) => {
            if d.is_empty() {
                out.push_str("set()");
                return;
            }
            out.push('{');
            for (i, e) in d.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                nested(store, e.key, out);
            }
            out.push('}');
        }
        Some(Obj::Slice(a, b, c)) => slice::repr_into(store, *a, *b, *c, out),
        Some(Obj::Super(c, _)) => {
            let _ = write!(
                out,
                "<super: <class '{}'>, <{} object>>",
                class::name_of(store, *c),
                class::type_name_of(store, v)
            );
        }
        Some(Obj::MethodWrapper(t, _)) => {
            let _ = write!(out, "<{} object at 0x{handle:x}>", t.name());
        }
        Some(Obj::Cell(_)) => {
            let _ = write!(out, "<cell at 0x{handle:x}>");
        }
        Some(Obj::Class(_)) => {
            let _ = write!(out, "<class '{}'>", qualified(store, v));
        }
        Some(Obj::Instance(i)) => {
            let _ = write!(
                out,
                "<{} object at 0x{handle:x}>",
                qualified(store, i.class)
            );
        }
        _ => out.push('?'),
    }
}

/// `module.Name` of a class, from its `__module__` (just the name for built-in types).
pub fn qualified(store: &Store, cls: Value) -> String {
    let name = class::name_of(store, cls);
    match module_of(store, cls) {
        Some(m) => alloc::format!("{m}.{name}"),
        None => String::from(name),
    }
}

/// A class's name as a traceback's last line prints it: `module.Name`, but the bare name for
/// classes of `__main__` and built-in types.
pub fn traceback_name(store: &Store, cls: Value) -> String {
    match module_of(store, cls) {
        Some(m) if m != "__main__" => qualified(store, cls),
        _ => String::from(class::name_of(store, cls)),
    }
}

fn module_of(store: &Store, cls: Value) -> Option<&str> {
    let Some(Obj::Class(c)) = store.obj(cls) else {
        return None;
    };
    let key = Value::str(store.strs.lookup("__module__")?);
    dict_methods::lookup(store, c.dict, key)
        .ok()
        .flatten()
        .and_then(|m| store.str_of(m))
}
